/**
 * The mails auth-server sends: plain text and HTML bodies, and the links they contain.
 *
 * Mails that can reach an address nobody has verified yet (verification, the notice for an
 * unverified account, reset for an unverified account) carry no user-supplied text: anyone can
 * register any address, so the name typed at registration must not reach that mailbox. Those
 * greet with "Hello," only; pass a name only for a verified address.
 */
export interface MailContent {
  /** Which mail this is; stays in the outbox as metadata after the body is erased. */
  template: string;
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

/** "Hello Ada," for a verified address's name; "Hello," otherwise. */
const greeting = (name?: string) => (name ? `Hello ${name},` : 'Hello,');

function layout(
  salutation: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): Omit<MailContent, 'template' | 'subject'> {
  const textParts = [salutation, '', ...paragraphs.flatMap((p) => [p, ''])];
  if (action) textParts.push(`${action.label}: ${action.url}`, '');
  const htmlParts = [`<p>${escapeHtml(salutation)}</p>`, ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)];
  if (action) {
    htmlParts.push(`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`);
  }
  return {
    text: textParts.join('\n').trimEnd(),
    html: `<!doctype html><html><body>${htmlParts.join('')}</body></html>`,
    links: action ? [action.url] : [],
  };
}

/** To an address not verified yet: no name (see the module comment). */
export function verificationMail(url: string): MailContent {
  return {
    ...layout(
      greeting(),
      ['Please confirm your email address to finish creating your account. The link is valid for 24 hours.'],
      { label: 'Verify your email', url },
    ),
    template: 'verification',
    subject: 'Verify your email address',
  };
}

/** To a verified address, so it may greet by the account's name. */
export function alreadyRegisteredMail(name: string, loginUrl: string, resetUrl: string): MailContent {
  const base = layout(greeting(name), [
    'Someone tried to register a new account with this email address, but you already have one.',
    'If this was you, sign in instead; if you forgot your password, you can reset it. If it was not you, you can ignore this mail.',
  ]);
  return {
    ...base,
    template: 'already_registered',
    subject: 'You already have an account',
    text: `${base.text}\n\nSign in: ${loginUrl}\nReset your password: ${resetUrl}`,
    links: [loginUrl, resetUrl],
  };
}

/**
 * "Someone tried to register" for an address whose account is not verified yet: the notice of
 * DESIGN §3, plus a fresh verification link (the most useful thing for the owner to have). The
 * link sets the password of that newest registration, and every earlier link stops working. No
 * name: the address is not verified.
 */
export function alreadyRegisteredUnverifiedMail(verifyUrl: string): MailContent {
  return {
    ...layout(
      greeting(),
      [
        'Someone tried to register a new account with this email address, but an account with this address already exists and is waiting for its email to be verified.',
        'If this was you just now, verify your email with the link below (valid for 24 hours) in the browser you registered in: it sets the password you chose in that registration.',
        'If it was not you, do not use the link and ignore this mail: the link of your own registration still works.',
      ],
      { label: 'Verify your email', url: verifyUrl },
    ),
    template: 'already_registered_unverified',
    subject: 'You already have an account',
  };
}

/** `name` only when the address is verified (a reset link also goes to unverified accounts). */
export function resetPasswordMail(name: string | undefined, url: string): MailContent {
  return {
    ...layout(
      greeting(name),
      [
        'We received a request to reset your password. The link is valid for 1 hour and can be used once.',
        'If you did not ask for this, ignore this mail: your password stays unchanged.',
      ],
      { label: 'Choose a new password', url },
    ),
    template: 'password_reset',
    subject: 'Reset your password',
  };
}

/**
 * After a contested address (sign-ups with different passwords) was confirmed outside the browser
 * that registered: no sign-up's password was kept, so the owner chooses one. No user text.
 */
export function choosePasswordMail(url: string): MailContent {
  return {
    ...layout(
      greeting(),
      [
        'Your email address is confirmed. More than one sign-up used this address, so none of their passwords was kept.',
        'Choose your password with the link below. It is valid for 1 hour and can be used once.',
      ],
      { label: 'Choose your password', url },
    ),
    template: 'choose_password',
    subject: 'Choose your password',
  };
}

/** To a signed-in (so verified) user. */
export function passwordChangedMail(name: string): MailContent {
  return {
    ...layout(greeting(name), [
      'The password of your account was just changed and your other sessions were signed out.',
      'If this was not you, reset your password right away.',
    ]),
    template: 'password_changed',
    subject: 'Your password was changed',
  };
}
