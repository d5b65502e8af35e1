/** Where mail goes: SMTP through nodemailer when `SMTP_URL` is set, else nowhere (dev outbox). */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'development';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  // Bounded, so a dead or silent SMTP host fails an attempt (retried later) instead of holding
  // the worker, and its shutdown, for nodemailer's default minutes.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close() {
      transporter.close();
    },
  };
}

/** Development: the mail stays readable in the outbox table (GET /api/dev/outbox); sending is a no-op. */
export function developmentTransport(): MailTransport {
  return { kind: 'development', async send() {}, close() {} };
}
