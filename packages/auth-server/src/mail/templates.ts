/** The mails auth-server sends: plain text and HTML bodies, and the links they contain. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
  links: string[];
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function layout(
  greeting: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): MailContent & {
  subject: '';
} {
  const textParts = [greeting, '', ...paragraphs.flatMap((p) => [p, ''])];
  if (action) textParts.push(`${action.label}: ${action.url}`, '');
  const htmlParts = [`<p>${escapeHtml(greeting)}</p>`, ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)];
  if (action) {
    htmlParts.push(`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`);
  }
  return {
    subject: '',
    text: textParts.join('\n').trimEnd(),
    html: `<!doctype html><html><body>${htmlParts.join('')}</body></html>`,
    links: action ? [action.url] : [],
  };
}

export function verificationMail(name: string, url: string): MailContent {
  return {
    ...layout(
      `Hello ${name},`,
      ['Please confirm your email address to finish creating your account. The link is valid for 24 hours.'],
      { label: 'Verify your email', url },
    ),
    subject: 'Verify your email address',
  };
}

export function alreadyRegisteredMail(name: string, loginUrl: string, resetUrl: string): MailContent {
  const base = layout(`Hello ${name},`, [
    'Someone tried to register a new account with this email address, but you already have one.',
    'If this was you, sign in instead; if you forgot your password, you can reset it. If it was not you, you can ignore this mail.',
  ]);
  return {
    ...base,
    subject: 'You already have an account',
    text: `${base.text}\n\nSign in: ${loginUrl}\nReset your password: ${resetUrl}`,
    links: [loginUrl, resetUrl],
  };
}

/**
 * "Someone tried to register" for an address whose account is not verified yet: the notice of
 * DESIGN §3, plus a fresh verification link (the most useful thing for the owner to have).
 */
export function alreadyRegisteredUnverifiedMail(name: string, verifyUrl: string): MailContent {
  return {
    ...layout(
      `Hello ${name},`,
      [
        'Someone tried to register a new account with this email address, but an account with this address already exists and is waiting for its email to be verified.',
        'If this was you, verify your email with the link below (valid for 24 hours). If it was not you, you can ignore this mail.',
      ],
      { label: 'Verify your email', url: verifyUrl },
    ),
    subject: 'You already have an account',
  };
}

export function resetPasswordMail(name: string, url: string): MailContent {
  return {
    ...layout(
      `Hello ${name},`,
      [
        'We received a request to reset your password. The link is valid for 1 hour and can be used once.',
        'If you did not ask for this, ignore this mail: your password stays unchanged.',
      ],
      { label: 'Choose a new password', url },
    ),
    subject: 'Reset your password',
  };
}

export function passwordChangedMail(name: string): MailContent {
  return {
    ...layout(`Hello ${name},`, [
      'The password of your account was just changed and your other sessions were signed out.',
      'If this was not you, reset your password right away.',
    ]),
    subject: 'Your password was changed',
  };
}
