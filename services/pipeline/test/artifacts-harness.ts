import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Actor } from '@delivery/contracts';
import { PIPELINE_ACTOR } from '@delivery/contracts';
import { createHttpApp, createIdentityVerifier, NotFoundError, Readiness } from '@delivery/service-kit';
import { requiredEnv, testKeys, uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { type ArtifactRoutesDeps, artifactRoutes } from '../src/artifacts/artifact-routes.js';
import { FileStore } from '../src/artifacts/file-store.js';
import type { ArtifactSpec, ProjectState, StoredFile } from '../src/domain/project-state.js';
import { projectModel } from '../src/store/project-model.js';

/**
 * The artifact routes on a real HTTP server, over a database of their own on the Mongo wire
 * server from jest's globalSetup. Projects are inserted as documents; `onStored` appends the file
 * to the project as the service does, and can be told to fail.
 */
export class ArtifactsEnv {
  readonly stored: { projectId: string; file: StoredFile; actor: Actor }[] = [];
  failOnStored: Error | undefined;

  private constructor(
    readonly connection: Connection,
    readonly files: FileStore,
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(limits: Partial<ArtifactRoutesDeps['config']> = {}) {
    const config: ArtifactRoutesDeps['config'] = {
      TEST_REPORT_MAX_BYTES: 20 * 1024 * 1024,
      PROJECT_MAX_FILES: 500,
      PROJECT_MAX_BYTES: 1024 * 1024 * 1024,
      ...limits,
    };
    const connection = await mongoose
      .createConnection(requiredEnv('MONGO_URL'), { dbName: uniqueName('pipeline-artifacts') })
      .asPromise();
    const files = new FileStore(connection);
    const projects = projectModel(connection);
    let env: ArtifactsEnv | undefined;
    const deps: ArtifactRoutesDeps = {
      files,
      config,
      projects: {
        async get(id) {
          const document = await projects.findById(id).lean();
          if (!document) throw new NotFoundError(`no project ${id}`);
          const { _id, ...state } = document;
          return { id: _id, ...state } as unknown as ProjectState;
        },
      },
      async onStored(projectId, file, actor) {
        if (env?.failOnStored) throw env.failOnStored;
        await projects.updateOne({ _id: projectId }, { $push: { files: file } });
        env?.stored.push({ projectId, file, actor });
      },
    };
    const app = createHttpApp({
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      readiness: new Readiness(100),
      identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'pipeline' }),
      uploadRoutes: (a) => a.use(artifactRoutes(deps)),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    env = new ArtifactsEnv(
      connection,
      files,
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    return env;
  }

  /** Inserts a project at build whose blueprint asks for `artifacts` (null: no blueprint yet). */
  async insertProject(artifacts: ArtifactSpec[] | null, assigneeIds: string[] = []): Promise<string> {
    const id = uniqueName('project');
    const now = new Date();
    await projectModel(this.connection).create({
      _id: id,
      name: 'Release 1.2',
      nameKey: 'release 1.2',
      client: 'Acme',
      templateId: 'template-1',
      templateVersion: 1,
      deliveryManagerId: 'dm-1',
      requireManualReview: false,
      status: 'active',
      currentStage: '3_build',
      requirements: artifacts && { fields: [], artifacts, blueprintRunId: 'run-1' },
      onboarding: { answers: {}, updatedBy: null, updatedAt: null },
      assignees: assigneeIds.map((assignee) => ({
        id: assignee,
        name: assignee,
        assignedBy: PIPELINE_ACTOR,
        assignedAt: now,
      })),
      stages: {},
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  /** What the bucket holds: a refused upload must leave both at what they were. */
  async bucketCounts(): Promise<{ files: number; chunks: number }> {
    const db = this.connection.db;
    if (!db) throw new Error('not connected');
    const [files, chunks] = await Promise.all([
      db.collection('artifacts.files').countDocuments(),
      db.collection('artifacts.chunks').countDocuments(),
    ]);
    return { files, chunks };
  }

  async projectFiles(projectId: string): Promise<StoredFile[]> {
    const document = await projectModel(this.connection).findById(projectId).lean();
    return (document?.files ?? []) as StoredFile[];
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await this.connection.dropDatabase();
    await this.connection.close();
  }
}

export interface FilePart {
  content: Buffer | string;
  filename?: string;
  contentType?: string;
  /** Default "file". */
  part?: string;
}

const BOUNDARY = '----artifact-test-boundary-7MA4YWxkTrZu0gW';
export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The bytes before a part's content. */
export function partHeader(part: { name: string; filename?: string; contentType?: string }): Buffer {
  const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
  const type = part.contentType === undefined ? '' : `Content-Type: ${part.contentType}\r\n`;
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`);
}
export const PART_END = Buffer.from('\r\n');
export const FORM_END = Buffer.from(`--${BOUNDARY}--\r\n`);

/** A multipart body with text fields first (in the order given), then the file parts. */
export function multipart(fields: Record<string, string>, ...files: FilePart[]): Buffer {
  const pieces: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    pieces.push(partHeader({ name }), Buffer.from(value), PART_END);
  for (const file of files) {
    pieces.push(
      partHeader({
        name: file.part ?? 'file',
        filename: file.filename ?? 'upload.bin',
        contentType: file.contentType,
      }),
      Buffer.from(file.content),
      PART_END,
    );
  }
  pieces.push(FORM_END);
  return Buffer.concat(pieces);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/**
 * A request through node:http, whose body the test writes piece by piece (`write`), so a test
 * can look at the database while the upload is still on its way.
 */
export function openRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>) {
  const url = new URL(path, baseUrl);
  let settle!: { resolve: (response: RawResponse) => void; reject: (error: Error) => void };
  const response = new Promise<RawResponse>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const req = httpRequest(
    { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers },
    (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        settle.resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body.toString()),
        });
      });
      res.on('error', settle.reject);
    },
  );
  req.on('error', settle.reject);
  const write = (bytes: Buffer) =>
    new Promise<void>((resolve, reject) => req.write(bytes, (error) => (error ? reject(error) : resolve())));
  return { write, end: (bytes?: Buffer) => req.end(bytes), abort: () => req.destroy(), response };
}

/** Sends a whole request and reads the whole answer. */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<RawResponse> {
  const request = openRequest(baseUrl, method, path, headers);
  request.end(body);
  return request.response;
}
