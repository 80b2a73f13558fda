/**
 * Prints a bearer token for local use: npm run token -- <userId> [--admin] [--hours N]
 * Signed with the server's secret: JWT_SECRET, or the one `npm start` generated into .data/.
 */
import 'dotenv/config';
import { TokenVerifier } from '../common/auth/token-verifier';
import { ConfigError, loadConfig } from '../config/load-config';
import { withLocalJwtSecret } from '../config/local-jwt-secret';

const USAGE = 'usage: npm run token -- <userId> [--admin] [--hours N]\n';

function main(args: string[]): number {
  const userId = Number(args.find((arg) => /^\d+$/.test(arg)));
  const hoursIndex = args.indexOf('--hours');
  const hours = hoursIndex >= 0 ? Number(args[hoursIndex + 1]) : 24;
  if (!Number.isSafeInteger(userId) || userId < 1 || !(hours > 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const config = loadConfig(withLocalJwtSecret(process.env));
    const token = new TokenVerifier(config).sign(userId, args.includes('--admin'), hours * 3600);
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
