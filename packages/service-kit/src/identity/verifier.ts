import {
  GATEWAY_ISSUER,
  type Identity,
  type IdentityClaims,
  identityClaimsSchema,
  ROLES,
} from '@delivery/contracts';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../http/errors.js';
import { IDENTITY_ALGORITHM, type Jwks } from './jwk.js';

export interface IdentityVerifierOptions {
  /** The trusted public keys, each named by its kid (`gateway`, the services). */
  publicKeys: Jwks;
  /** This service's name: a token must name it in `aud`. */
  audience: string;
  /** How far `exp` and `nbf` may be off the local clock. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Tests pin the clock. */
  now?: () => Date;
}

export interface IdentityVerifier {
  readonly audience: string;
  /** The identity a token carries; UnauthenticatedError (401) for anything it does not prove. */
  verify(token: string): Promise<Identity>;
}

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const keys = createLocalJWKSet(options.publicKeys);
  const { audience } = options;
  return {
    audience,
    async verify(token) {
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      try {
        // The key is the one whose kid the header names, so a token signed by any other key fails here.
        verified = await jwtVerify(token, keys, {
          algorithms: [IDENTITY_ALGORITHM],
          audience,
          clockTolerance: options.clockToleranceSeconds ?? 5,
          requiredClaims: ['iss', 'sub', 'exp', 'iat', 'jti'],
          ...(options.now ? { currentDate: options.now() } : {}),
        });
      } catch (error) {
        if (error instanceof errors.JOSEError) throw new UnauthenticatedError(reasonOf(error, audience));
        throw error;
      }
      const { payload, protectedHeader } = verified;
      if (protectedHeader.kid !== payload.iss) {
        throw new UnauthenticatedError('the token is not signed by the key of its issuer');
      }
      const claims = identityClaimsSchema.safeParse(payload);
      if (!claims.success) throw new UnauthenticatedError('the token does not carry a valid identity');
      return identityOfClaims(claims.data);
    },
  };
}

/**
 * Who verified claims speak for. A user comes only from the gateway; a service speaks only for
 * itself and holds the service role alone, whatever its token says.
 */
export function identityOfClaims(claims: IdentityClaims): Identity {
  if (claims.kind === 'user') {
    if (claims.iss !== GATEWAY_ISSUER)
      throw new UnauthenticatedError('a user token must come from the gateway');
    if (claims.roles.includes(ROLES.service)) {
      throw new UnauthenticatedError(`a user cannot hold the "${ROLES.service}" role`);
    }
    return { kind: 'user', id: claims.sub, name: claims.name, roles: claims.roles };
  }
  if (claims.iss === GATEWAY_ISSUER) throw new UnauthenticatedError('the gateway signs user tokens only');
  if (claims.sub !== claims.iss) throw new UnauthenticatedError('a service token speaks only for its issuer');
  return { kind: 'service', id: claims.sub, name: claims.name, roles: [ROLES.service] };
}

function reasonOf(error: InstanceType<typeof errors.JOSEError>, audience: string): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `the token is not for ${audience}`;
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's "${error.claim}" claim is missing or invalid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed by no trusted key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return `the token must be signed with ${IDENTITY_ALGORITHM}`;
  return 'the token is malformed';
}
