import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/** The tokens of the last login, per API. */
export interface Session {
  readonly email: string;
  /** The user's username in the pool (the sub when email is the username): refreshes hash with it. */
  readonly username: string;
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch seconds when the ID token expires. */
  readonly expiresAt: number;
}

type Sessions = Record<string, Session>;

function readAll(file: string): Sessions {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Sessions;
  } catch {
    return {};
  }
}

export function loadSession(file: string, apiUrl: string): Session | undefined {
  return readAll(file)[apiUrl];
}

export function saveSession(file: string, apiUrl: string, session: Session): void {
  const all = readAll(file);
  all[apiUrl] = session;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The claims of a JWT, unverified (only to read who and until when). */
export function jwtClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
