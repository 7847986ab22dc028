import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { close, httpServer, listen, LOOPBACK, sendJson } from '@serverless-orders/local-aws';
import { redactLine } from '../redaction';
import { DamagedStateFileError, shownPath } from '../state-files';
import { checkPassword, CognitoGapError, newPassword, normaliseRequest, verifySecretHash, awsUserPoolId, type PasswordPolicy } from './cognito-gaps';
import { savesSafely, stateFilesSaved, useSafeStateFiles } from './state-store';

/**
 * A Cognito-compatible identity provider: cognito-local, started programmatically with its
 * data under the given directory, with the gaps of cognito-gaps.ts closed in front of its
 * targets, and tokens whose issuer is AWS's (`https://cognito-idp.<region>.amazonaws.com/<pool>`)
 * so that aws-jwt-verify's Cognito verifier accepts them. The JWKS is served locally.
 */
export interface IdentityProvider {
  readonly endpoint: string;
  readonly port: number;
  issuer(userPoolId: string): string;
  jwksUri(userPoolId: string): string;
  jwks(): { keys: Array<Record<string, unknown>> };
  close(): Promise<void>;
}

export interface IdentityProviderOptions {
  readonly port: number;
  /** The stack's data directory: with `persist`, the pools and clients are kept in its cognito/ folder. */
  readonly dataDir: string;
  /** Keep the pools, clients and users for the next start; without it they live in a scratch folder removed on close. */
  readonly persist?: boolean;
  readonly region: string;
  readonly accountId: string;
  /** cognito-local's debug output (redacted: no password, token or secret is ever printed). */
  readonly verbose?: boolean;
  readonly log?: (line: string) => void;
}

type Ctx = { logger: unknown };
type Target = (ctx: Ctx, req: Record<string, unknown>) => Promise<unknown>;
interface Services {
  cognito: {
    getAppClient(ctx: Ctx, clientId: string): Promise<{ ClientSecret?: string; UserPoolId: string } | null>;
    getUserPool(ctx: Ctx, id: string): Promise<{ options: { Policies?: { PasswordPolicy?: PasswordPolicy } } }>;
    getUserPoolForClientId(ctx: Ctx, clientId: string): Promise<{ options: { Policies?: { PasswordPolicy?: PasswordPolicy } } }>;
    createUserPool(ctx: Ctx, pool: Record<string, unknown>): Promise<unknown>;
  };
  [key: string]: unknown;
}

// cognito-local is CommonJS without an exports map: its parts are loaded from its own files.
const requireFrom = createRequire(import.meta.url);
const cognitoLocal = (path: string) => requireFrom(`cognito-local/lib/${path}`);

/** Where a real pool would send an email or SMS, the local one prints the code. */
function codePrinter(log: ((line: string) => void) | undefined) {
  const print = (_ctx: unknown, user: { Username?: string }, destination: string, message: { __code?: string }) => {
    log?.(`[cognito] confirmation code for ${destination} (user ${user.Username}): ${message.__code}`);
    return Promise.resolve();
  };
  return { sendEmail: print, sendSms: print };
}

/** How to start again from a damaged pool or clients file. */
function damaged(error: DamagedStateFileError, dataDir: string): DamagedStateFileError {
  const lost =
    basename(error.file) === 'clients.json'
      ? 'the app client is lost: the next start makes a new one, with a new id and secret'
      : `the users of pool ${basename(error.file, '.json')} are lost: the next start makes a new, empty pool`;
  return new DamagedStateFileError(
    shownPath(error.file),
    error.problem,
    `the identity provider cannot start from it. Delete that file (${lost}), or the whole data directory ${shownPath(dataDir)}, or start without --persist (a new, empty system).`,
  );
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const { region } = options;
  const issuerDomain = `https://cognito-idp.${region}.amazonaws.com`;
  // cognito-local has no in-memory store: without --persist its files go to a scratch folder of this run.
  const scratch = options.persist ? undefined : mkdtempSync(join(tmpdir(), 'serverless-orders-identity-'));
  const dataDirectory = scratch ?? join(options.dataDir, 'cognito');
  mkdirSync(dataDirectory, { recursive: true });
  const removeScratch = () => scratch && rmSync(scratch, { recursive: true, force: true });

  try {
    return await start(options, issuerDomain, dataDirectory, async () => {
      await stateFilesSaved();
      removeScratch();
    });
  } catch (error) {
    await stateFilesSaved();
    removeScratch();
    throw error instanceof DamagedStateFileError ? damaged(error, options.dataDir) : error;
  }
}

async function start(options: IdentityProviderOptions, issuerDomain: string, dataDirectory: string, afterClose: () => Promise<void>): Promise<IdentityProvider> {
  const { region, accountId } = options;
  // cognito-local still loads the AWS SDK v2 (for its triggers); its end-of-support notice is noise here.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  const requireFromCognitoLocal = createRequire(requireFrom.resolve('cognito-local'));
  // Its pool files saved one at a time and atomically (state-store.ts), before it opens any.
  useSafeStateFiles(requireFromCognitoLocal('stormdb'));
  // Its log lines (requests, users with their passwords and refresh tokens, whole pools at debug)
  // are redacted before they are printed, tagged as the stack tags each part's lines.
  const pino = requireFromCognitoLocal('pino');
  const print = options.log ?? ((line: string) => console.log(line));
  const destination = {
    write: (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) print(`[cognito] ${redactLine(line)}`);
    },
  };
  const logger = pino({ level: options.verbose ? 'debug' : 'silent' }, destination);
  const ctx: Ctx = { logger };

  const { DateClock, TriggersService, LambdaService, MessagesService } = cognitoLocal('services/index.js');
  const { CognitoServiceFactoryImpl } = cognitoLocal('services/cognitoService.js');
  const { CryptoService } = cognitoLocal('services/crypto.js');
  const { StormDBDataStoreFactory } = cognitoLocal('services/dataStore/stormDb.js');
  const { MessageDeliveryService } = cognitoLocal('services/messageDelivery/messageDelivery.js');
  const { otp } = cognitoLocal('services/otp.js');
  const { JwtTokenGenerator } = cognitoLocal('services/tokenGenerator.js');
  const { UserPoolServiceFactoryImpl } = cognitoLocal('services/userPoolService.js');
  const { Router } = cognitoLocal('server/Router.js');
  const { createServer } = cognitoLocal('server/server.js');
  const { CognitoError } = cognitoLocal('errors.js');
  const publicKey = cognitoLocal('keys/cognitoLocal.public.json') as { jwk: Record<string, unknown> };

  const config = {
    LambdaClient: { credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, region },
    TriggerFunctions: {},
    UserPoolDefaults: { UsernameAttributes: ['email'] },
    TokenConfig: { IssuerDomain: issuerDomain },
    KMSConfig: { credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, region },
    ServerConfig: { port: options.port, hostname: LOOPBACK, development: false, https: false },
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(dataDirectory, dataStoreFactory, new UserPoolServiceFactoryImpl(clock, dataStoreFactory)).create(
    ctx,
    config.UserPoolDefaults,
  );
  if (!savesSafely((cognito as unknown as { clients?: { db?: { engine?: unknown } } }).clients?.db?.engine)) {
    throw new Error("cognito-local no longer saves through StormDB's file engine: the identity provider cannot keep its files safe (see cognito/state-store.ts)");
  }
  // No triggers are configured, so the Lambda client behind them is never called.
  const triggers = new TriggersService(clock, cognito, new LambdaService(config.TriggerFunctions, {}), new CryptoService(config.KMSConfig));
  const services: Services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(codePrinter(options.log))),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };

  // Pools get AWS-form ids: CreateUserPool runs against a cognito service that renames the pool it stores.
  const awsIdCognito = Object.create(cognito, {
    createUserPool: {
      value: (c: Ctx, pool: Record<string, unknown>) => {
        const id = awsUserPoolId(region);
        return cognito.createUserPool(c, { ...pool, Id: id, Arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${id}` });
      },
    },
  });

  const policyFor = async (req: Record<string, unknown>) => {
    try {
      if (typeof req.UserPoolId === 'string') return (await cognito.getUserPool(ctx, req.UserPoolId)).options.Policies?.PasswordPolicy;
      if (typeof req.ClientId === 'string') return (await cognito.getUserPoolForClientId(ctx, req.ClientId)).options.Policies?.PasswordPolicy;
    } catch {
      // an unknown pool or client is for cognito-local to report
    }
    return undefined;
  };

  const router = (target: string): Target => {
    const targetServices = target === 'CreateUserPool' ? { ...services, cognito: awsIdCognito } : services;
    const run: Target = Router(targetServices)(target);
    return async (c, raw) => {
      try {
        const req = normaliseRequest(target, raw ?? {});
        if (typeof req.ClientId === 'string') {
          const client = await cognito.getAppClient(c, req.ClientId);
          verifySecretHash(target, req, client?.ClientSecret);
        }
        const password = newPassword(target, req);
        if (password !== undefined) checkPassword(password, await policyFor(req));
        return await run(c, req);
      } catch (error) {
        if (error instanceof CognitoGapError) throw new CognitoError(error.code, error.message);
        throw error;
      }
    };
  };

  const app = createServer(router, logger, config.ServerConfig, services).application as (req: IncomingMessage, res: ServerResponse) => void;
  const base = () => `http://${LOOPBACK}:${port}`;
  const server = httpServer((req, res) => {
    // The discovery document names AWS's issuer and the local JWKS.
    const discovery = /^\/([\w-]+_[A-Za-z0-9]+)\/\.well-known\/openid-configuration$/.exec(req.url ?? '');
    if (req.method === 'GET' && discovery) {
      sendJson(res, 200, {
        issuer: `${issuerDomain}/${discovery[1]}`,
        jwks_uri: `${base()}/${discovery[1]}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
        response_types_supported: ['code', 'token'],
      });
      return;
    }
    app(req, res);
  }, options.log);
  const port = await listen(server, options.port, 'identity provider (Cognito)', '--cognito-port');

  return {
    endpoint: base(),
    port,
    issuer: (poolId) => `${issuerDomain}/${poolId}`,
    jwksUri: (poolId) => `${base()}/${poolId}/.well-known/jwks.json`,
    jwks: () => ({ keys: [publicKey.jwk] }),
    close: async () => {
      await close(server);
      await afterClose();
    },
  };
}
