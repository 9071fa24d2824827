import express from 'express';
import { keygate } from '@keygate/express';
import { lenme } from '@keygate/lenme';

const secrets = new Map([[process.env['LENME_API_KEY']!, { secrets: [process.env['LENME_SECRET']!] }]]);

export const app = express();
app.use('/lenme', keygate(lenme({ secrets })));
app.post('/lenme/v1/loans/fund', (req, res) => {
  // req.body is the JSON body, parsed once by the scheme (undefined when the body is empty).
  res.json({ apiKey: req.keygate?.principal, loanId: req.body?.loan_id });
});
