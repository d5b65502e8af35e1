import { Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { changePassword, updateName } from '../api/auth.js';
import { splitError } from '../components/formErrors.js';
import { FormAlert } from '../components/FormAlert.js';
import { confirmationError, NewPasswordFields } from '../components/NewPasswordFields.js';
import { useSubmit } from '../components/useSubmit.js';
import { SessionsCard } from '../components/SessionsCard.js';
import { useSession } from '../session/SessionContext.js';

function ProfileCard() {
  const { user, setUser } = useSession();
  const [name, setName] = useState(user?.name ?? '');
  const { errors, busy, submit } = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit(
      async () => {
        setUser(await updateName(name.trim()));
        notifications.show({ color: 'green', message: 'Your name was saved.' });
      },
      (error) => splitError(error, ['name']),
    );
  };

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h4" mb="sm">
        Profile
      </Title>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          <FormAlert message={errors.general} />
          <TextInput
            label="Name"
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fields.name}
          />
          <TextInput
            label="Email"
            value={user?.email ?? ''}
            readOnly
            description="Your email cannot be changed."
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={name.trim() === '' || name.trim() === user?.name}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { errors, setErrors, busy, submit } = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const mismatch = confirmationError(newPassword, confirm);
    if (mismatch) {
      setErrors({ fields: { confirm: mismatch }, general: null });
      return;
    }
    await submit(
      async () => {
        await changePassword(currentPassword, newPassword);
        setCurrentPassword('');
        setNewPassword('');
        setConfirm('');
        notifications.show({
          color: 'green',
          message: 'Your password was changed. Your other devices were signed out.',
        });
      },
      (error) =>
        splitError(
          error,
          ['currentPassword', 'newPassword', 'confirm'],
          { weak_password: 'newPassword', invalid_credentials: 'currentPassword' },
          { password: 'newPassword' },
        ),
    );
  };

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h4" mb="sm">
        Change password
      </Title>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="sm">
          <FormAlert message={errors.general} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
            error={errors.fields.currentPassword}
          />
          <NewPasswordFields
            password={newPassword}
            confirm={confirm}
            onPasswordChange={setNewPassword}
            onConfirmChange={setConfirm}
            passwordError={errors.fields.newPassword}
            confirmError={errors.fields.confirm}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!currentPassword || !newPassword}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function AccountPage() {
  const { signOut } = useSession();
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Account
        </Title>
        <Text c="dimmed" size="sm">
          Your name, your password and the devices you are signed in on.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ProfileCard />
        <PasswordCard />
      </SimpleGrid>
      <SessionsCard />
      <Card withBorder radius="md" padding="md">
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">Done for now? Signing out removes this device's session.</Text>
          <Button color="red" variant="outline" onClick={() => void signOut('global')}>
            Sign out of all devices
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}
