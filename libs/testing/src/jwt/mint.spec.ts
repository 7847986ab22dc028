import { createPublicKey, verify } from 'node:crypto';
import { createSigningKey, jwksOf } from './keys';
import { cognitoClaims, encodeJwt, mintHs256, mintJwt } from './mint';

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('token minting', () => {
  it.each(['RS256', 'ES256'] as const)('signs %s tokens that verify with the published JWK', (alg) => {
    const key = createSigningKey(alg, 'k1');
    const token = mintJwt(key, { sub: 'u1' });
    const [h, p, s] = token.split('.');
    expect(decode(h)).toEqual({ alg, kid: 'k1', typ: 'JWT' });
    expect(decode(p)).toEqual({ sub: 'u1' });
    const publicKey = createPublicKey({ key: jwksOf(key).keys[0], format: 'jwk' });
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    expect(ok).toBe(true);
  });

  it('publishes only public material', () => {
    const jwk = createSigningKey('RS256').publicJwk;
    expect(jwk).not.toHaveProperty('d');
    expect(jwk).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
  });

  it('crafts HS256 and hand-made tokens', () => {
    expect(mintHs256('s', { sub: 'x' }).split('.')).toHaveLength(3);
    expect(encodeJwt({ alg: 'none' }, { sub: 'x' })).toMatch(/\.$/);
  });

  it('shapes Cognito ID and access claims', () => {
    const id = cognitoClaims({ issuer: 'iss', clientId: 'c', tokenUse: 'id', groups: ['g'] });
    expect(id).toMatchObject({ aud: 'c', token_use: 'id', iss: 'iss', 'cognito:groups': ['g'] });
    const access = cognitoClaims({ issuer: 'iss', clientId: 'c', tokenUse: 'access' });
    expect(access).toMatchObject({ client_id: 'c', token_use: 'access' });
    expect(access).not.toHaveProperty('aud');
  });
});
