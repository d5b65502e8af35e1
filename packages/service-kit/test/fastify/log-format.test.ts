import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/env/env-field.js';
import { loadEnv } from '../../src/env/load-env.js';
import { LogFormat } from '../../src/env/shared-fields.js';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';
import { defaultLogFormat, prettyStream } from '../../src/fastify/log-format.js';

function loggerOf(options: ReturnType<typeof baseFastifyOptions>) {
  assert.ok(options.logger && typeof options.logger === 'object');
  return options.logger as { stream?: unknown; level?: string };
}

function withEnv(name: string, value: string | undefined, body: () => void) {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    body();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('log format', () => {
  it('is pretty on a terminal and JSON into a pipe or file', () => {
    assert.equal(defaultLogFormat({ isTTY: true }), 'pretty');
    assert.equal(defaultLogFormat({ isTTY: false }), 'json');
    assert.equal(defaultLogFormat({}), 'json');
  });

  it('LOG_FORMAT overrides the default and is validated', () => {
    assert.equal(loadEnv({ format: LogFormat }, { LOG_FORMAT: 'pretty' }).format, 'pretty');
    assert.equal(loadEnv({ format: LogFormat }, { LOG_FORMAT: 'json' }).format, 'json');
    assert.throws(
      () => loadEnv({ format: LogFormat }, { LOG_FORMAT: 'xml' }),
      /LOG_FORMAT must be one of pretty, json \(got "xml"\)/,
    );
  });

  it('pretty writes through pino-pretty, json leaves pino writing JSON lines', () => {
    assert.ok(loggerOf(baseFastifyOptions({ logLevel: 'info', trustProxy: [], logFormat: 'pretty' })).stream);
    const json = loggerOf(baseFastifyOptions({ logLevel: 'info', trustProxy: [], logFormat: 'json' }));
    assert.equal(json.stream, undefined);
    assert.equal(json.level, 'info');
  });

  it('without logFormat reads LOG_FORMAT, and refuses an invalid one with a ConfigError', () => {
    withEnv('LOG_FORMAT', 'pretty', () => {
      assert.ok(loggerOf(baseFastifyOptions({ logLevel: 'info', trustProxy: [] })).stream);
    });
    withEnv('LOG_FORMAT', 'yaml', () => {
      assert.throws(() => baseFastifyOptions({ logLevel: 'info', trustProxy: [] }), ConfigError);
    });
  });

  it('a test logger with its own stream keeps it', () => {
    const stream = { write: () => {} };
    const options = baseFastifyOptions({
      logLevel: 'info',
      trustProxy: [],
      logFormat: 'pretty',
      logger: { level: 'warn', stream },
    });
    assert.equal(loggerOf(options).stream, stream);
  });

  it('pretty output is one readable line per event, not JSON', async () => {
    let text = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const stream = prettyStream(destination);
    stream.write(
      `${JSON.stringify({ level: 30, time: Date.now(), pid: 1, hostname: 'h', msg: 'model loaded', ms: 812 })}\n`,
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(text, /INFO.*model loaded/);
    assert.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: model loaded \{"ms":812\}\n$/);
    assert.doesNotMatch(text, /hostname/);
    assert.throws(() => JSON.parse(text));
  });
});
