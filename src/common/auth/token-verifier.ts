import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { Actor } from './actor';

const USER_ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** Verifies HS256 bearer tokens and turns their claims into an Actor, or null. */
@Injectable()
export class TokenVerifier {
  private readonly jwt: JwtService;

  constructor(config: AppConfig) {
    this.jwt = new JwtService({ secret: config.jwtSecret });
  }

  verify(token: string): Actor | null {
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const sub = claims.sub;
    const userId =
      typeof sub === 'number' ? sub : typeof sub === 'string' && USER_ID_PATTERN.test(sub) ? Number(sub) : NaN;
    if (!Number.isSafeInteger(userId) || userId < 1) return null;
    return new Actor(userId, claims.role === 'admin');
  }

  sign(userId: number, admin = false, expiresInSeconds = 3600): string {
    return this.jwt.sign(
      admin ? { sub: String(userId), role: 'admin' } : { sub: String(userId) },
      { algorithm: 'HS256', expiresIn: expiresInSeconds },
    );
  }
}
