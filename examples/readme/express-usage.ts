import express from 'express';
import { keygate } from '@keygate/express';
import { inqud } from '@keygate/inqud';

const secrets = new Map([['TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', { secrets: [process.env['INQUD_SECRET']!] }]]);

export const app = express();
app.use('/inqud', keygate(inqud({ secrets })));
app.post('/inqud/v1/user/payments/payout', (req, res) => {
  res.json({ token: req.keygate?.principal, amount: req.body.amount });
});
