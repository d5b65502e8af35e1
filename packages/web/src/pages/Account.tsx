import { Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useChangePassword, useRename } from '../api/mutations.js';
import { FormAlert } from '../components/FormAlert.js';
import { ServiceFieldset } from '../components/ServiceStatus.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { SessionsCard } from '../components/SessionsCard.js';
import { useApiForm } from '../hooks/useApiForm.js';
import { confirmationError } from '../lib/passwords.js';
import { useSession } from '../session/SessionContext.js';

function ProfileCard() {
  const { user, setUser } = useSession();
  const rename = useRename();
  const { form, general, busy, handleSubmit } = useApiForm({ initialValues: { name: user?.name ?? '' } });
  const name = form.values.name.trim();

  const onSubmit = handleSubmit(async (values) => {
    setUser(await rename.mutateAsync(values.name.trim()));
    notifications.show({ color: 'green', message: 'Your name was saved.' });
  });

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h4" mb="sm">
        Profile
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            <FormAlert message={general} />
            <TextInput label="Name" autoComplete="name" required {...form.getInputProps('name')} />
            <TextInput
              label="Email"
              value={user?.email ?? ''}
              readOnly
              description="Your email cannot be changed."
            />
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={name === '' || name === user?.name}>
                Save name
              </Button>
            </Group>
          </Stack>
        </ServiceFieldset>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const change = useChangePassword();
  const { form, general, busy, handleSubmit } = useApiForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: { confirm: (value, values) => confirmationError(values.newPassword, value) ?? null },
    errors: {
      codeFields: { weak_password: 'newPassword', invalid_credentials: 'currentPassword' },
      aliases: { password: 'newPassword' },
    },
  });

  const onSubmit = handleSubmit(async ({ currentPassword, newPassword }) => {
    await change.mutateAsync({ currentPassword, newPassword });
    form.reset();
    notifications.show({
      color: 'green',
      message: 'Your password was changed. Your other devices were signed out.',
    });
  });

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h4" mb="sm">
        Change password
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <ServiceFieldset needs="accounts">
          <Stack gap="sm">
            <FormAlert message={general} />
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              {...form.getInputProps('currentPassword')}
            />
            <NewPasswordFields
              password={form.getInputProps('newPassword')}
              confirm={form.getInputProps('confirm')}
            />
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={busy}
                disabled={!form.values.currentPassword || !form.values.newPassword}
              >
                Change password
              </Button>
            </Group>
          </Stack>
        </ServiceFieldset>
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
