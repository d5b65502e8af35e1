/** A real SMTP listener (smtp-server) that keeps every mail, and the token in a verification link. */
import { SMTPServer } from 'smtp-server';

export async function startSmtp(port = 0) {
  const received = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    port: server.server.address().port,
    received,
    /** The token of the newest verification mail to `email`, or undefined. */
    verificationToken(email) {
      const mail = received.findLast((m) => m.to.includes(email) && /verify-email/.test(m.raw));
      if (!mail) return undefined;
      const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      return /verify-email\?token=([A-Za-z0-9_-]+)/.exec(body)?.[1];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
