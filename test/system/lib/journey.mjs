/**
 * The user's journey as a non-browser client of emotion-api (Bearer tokens, no cookies), and the
 * calls the system tests and benches share. Every request carries an X-Forwarded-For address of
 * its own, so per-IP limits of one run never meet another's (nginx appends its peer; the services
 * trust 127.0.0.1 only).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './ports.mjs';

export const PASSWORD = 'correct horse battery staple 42';
export const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
export const uniqueEmail = (tag = 'user') => `${tag}-${randomBytes(6).toString('hex')}@system.test`;

export async function call(base, path, { method = 'GET', body, token, ip, headers = {}, form } = {}) {
  const h = { ...headers };
  if (ip) h['x-forwarded-for'] = ip;
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(base + path, { method, headers: h, body: payload });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: data, headers: res.headers };
}

export function photo(root, file = 'Happy-test.jpg') {
  return readFileSync(join(root, 'fixtures/faces', file));
}

export function detectForm(bytes, name = 'face.jpg') {
  const form = new FormData();
  form.append('image', new Blob([bytes], { type: 'image/jpeg' }), name);
  return form;
}

/** Registers through emotion-api, takes the token from the mail the SMTP listener caught, verifies. */
export async function signUp(apiUrl, smtp, { email = uniqueEmail(), ip = randomIp() } = {}) {
  const reg = await call(apiUrl, '/auth/register', {
    method: 'POST',
    ip,
    body: { name: 'System Test', email, password: PASSWORD },
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const token = await until(`the verification mail to ${email}`, () => smtp.verificationToken(email), 20_000);
  const verified = await call(apiUrl, '/auth/verify', { method: 'POST', ip, body: { token } });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { email, ip, verified: verified.body };
}

export async function login(apiUrl, email, ip, password = PASSWORD) {
  return call(apiUrl, '/auth/login', { method: 'POST', ip, body: { email, password } });
}
