import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { forgotPassword } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { useSubmit } from '../components/useSubmit.js';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const { errors, busy, submit } = useSubmit();
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit(
      async () => {
        await forgotPassword(email.trim());
        setSentTo(email.trim());
      },
      (error) => splitError(error, ['email']),
    );
  };

  return (
    <AuthLayout title="Forgot password" subtitle="We will email you a link to choose a new password.">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          {sentTo && (
            <Alert color="green" role="status">
              If an account exists for <strong>{sentTo}</strong>, a reset link is on its way. It works for one
              hour.
            </Alert>
          )}
          <FormAlert message={errors.general} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fields.email}
          />
          <Button type="submit" loading={busy} fullWidth>
            Send reset link
          </Button>
          <Text size="sm" ta="center">
            Remembered it?{' '}
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
