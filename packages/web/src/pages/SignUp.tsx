import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { register } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { confirmationError, NewPasswordFields } from '../components/NewPasswordFields.js';
import { useSubmit } from '../components/useSubmit.js';
import { useSession } from '../session/SessionContext.js';

const FIELDS = ['name', 'email', 'password', 'passwordConfirm'] as const;

export function SignUpPage() {
  const { state } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [passwordConfirm, setPasswordConfirm] = useState('');
  const { errors, setErrors, busy, submit } = useSubmit();

  if (state.status === 'signedIn') return <Navigate to="/detect" replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const mismatch = confirmationError(password, passwordConfirm);
    if (mismatch) {
      setErrors({ fields: { passwordConfirm: mismatch }, general: null });
      return;
    }
    await submit(
      async () => {
        await register({ name: name.trim(), email: email.trim(), password, passwordConfirm });
        navigate(`/check-email?email=${encodeURIComponent(email.trim())}`);
      },
      (error) => splitError(error, FIELDS, { weak_password: 'password', conflict: 'email' }),
    );
  };

  return (
    <AuthLayout title="Sign up" subtitle="Create an account to detect emotions in your photos.">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          <FormAlert message={errors.general} />
          <TextInput
            label="Name"
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fields.name}
          />
          <TextInput
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fields.email}
          />
          <NewPasswordFields
            label="Password"
            names={{ password: 'password', confirm: 'passwordConfirm' }}
            password={password}
            confirm={passwordConfirm}
            onPasswordChange={setPassword}
            onConfirmChange={setPasswordConfirm}
            passwordError={errors.fields.password}
            confirmError={errors.fields.passwordConfirm}
          />
          <Button type="submit" loading={busy} fullWidth mt="xs">
            Sign up
          </Button>
          <Text size="sm" ta="center">
            Already have an account?{' '}
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
