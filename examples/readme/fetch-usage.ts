import { keygate } from '@keygate/fetch';
import { inqud } from '@keygate/inqud';

const secrets = new Map([['TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', { secrets: [process.env['INQUD_SECRET']!] }]]);
const verify = keygate(inqud({ secrets }));

// A Next.js route handler (app/inqud/v1/user/payments/payout/route.ts); Bun.serve and Deno.serve take it as it is.
export async function POST(request: Request): Promise<Response> {
  const result = await verify(request);
  if (!result.ok) return result.response;
  return Response.json({ token: result.principal, amount: (result.body as { amount: number }).amount });
}
