/**
 * How the services write their logs: JSON lines for machines (the default off a terminal), or
 * pino-pretty's coloured one-line-per-event text for a person at a terminal.
 */
import pinoPretty from 'pino-pretty';

export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormatName = (typeof LOG_FORMATS)[number];

/** `pretty` when stdout is a terminal, else `json`. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormatName {
  return stdout.isTTY === true ? 'pretty' : 'json';
}

/** pino-pretty writing synchronously to stdout (no worker thread, nothing lost on exit). */
export function prettyStream(destination: NodeJS.WritableStream = process.stdout) {
  return pinoPretty({
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
