#!/usr/bin/env node
// Prints a bearer token for local use: npm run token -- <userId> [--admin] [--hours N]
require('dotenv/config');
const { JwtService } = require('@nestjs/jwt');

const args = process.argv.slice(2);
const userId = args.find((arg) => /^\d+$/.test(arg));
const hoursIndex = args.indexOf('--hours');
const hours = hoursIndex >= 0 ? Number(args[hoursIndex + 1]) : 24;
if (!userId || Number(userId) < 1 || !(hours > 0)) {
  process.stderr.write('usage: npm run token -- <userId> [--admin] [--hours N]\n');
  process.exit(2);
}
const secret = process.env.JWT_SECRET || 'local-dev-secret-change-me';
const claims = args.includes('--admin') ? { sub: userId, role: 'admin' } : { sub: userId };
// The server checks iss and aud when JWT_ISSUER / JWT_AUDIENCE are set: sign with the same values.
const issuer = process.env.JWT_ISSUER?.trim();
const audience = process.env.JWT_AUDIENCE?.trim();
const options = {
  algorithm: 'HS256',
  expiresIn: hours * 3600,
  ...(issuer ? { issuer } : {}),
  ...(audience ? { audience } : {}),
};
process.stdout.write(`${new JwtService({ secret }).sign(claims, options)}\n`);
