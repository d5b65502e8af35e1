import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { Link, Navigate, useNavigate } from 'react-router';
import { register } from '../api/auth.js';
import { AuthLayout } from '../components/AuthLayout.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { useApiForm } from '../hooks/useApiForm.js';
import { confirmationError } from '../lib/passwords.js';
import { useSession } from '../session/SessionContext.js';

export function SignUpPage() {
  const { state } = useSession();
  const navigate = useNavigate();
  const { form, general, busy, handleSubmit } = useApiForm({
    initialValues: { name: '', email: '', password: '', passwordConfirm: '' },
    validate: { passwordConfirm: (value, values) => confirmationError(values.password, value) ?? null },
    errors: { codeFields: { weak_password: 'password', conflict: 'email' } },
  });

  if (state.status === 'signedIn') return <Navigate to="/detect" replace />;

  const onSubmit = handleSubmit(async ({ name, email, password, passwordConfirm }) => {
    await register({ name: name.trim(), email: email.trim(), password, passwordConfirm });
    navigate(`/check-email?email=${encodeURIComponent(email.trim())}`);
  });

  return (
    <AuthLayout title="Sign up" subtitle="Create an account to detect emotions in your photos.">
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            <FormAlert message={general} />
            <TextInput
              label="Name"
              name="name"
              autoComplete="name"
              required
              {...form.getInputProps('name')}
            />
            <TextInput
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps('email')}
            />
            <NewPasswordFields
              label="Password"
              names={{ password: 'password', confirm: 'passwordConfirm' }}
              password={form.getInputProps('password')}
              confirm={form.getInputProps('passwordConfirm')}
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
        </ServiceFieldset>
      </form>
    </AuthLayout>
  );
}
