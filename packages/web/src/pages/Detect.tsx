import '@mantine/dropzone/styles.css';
import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  Image,
  Stack,
  Tabs,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { Dropzone, type FileRejection, type FileWithPath } from '@mantine/dropzone';
import { useEffect, useRef, useState } from 'react';
import { type DetectErrorMessage, detectErrorMessage, WRONG_TYPE } from '../api/detectErrors.js';
import { imageUrlOf } from '../api/detections.js';
import { useDetect } from '../api/mutations.js';
import { useModels } from '../api/queries.js';
import { useAuthImage } from '../components/AuthImage.js';
import { DetectionResult } from '../components/DetectionResult.js';
import { ModelPicker } from '../components/ModelPicker.js';
import { Webcam } from '../components/Webcam.js';
import { UploadIcon } from '../components/icons.js';
import { percent } from '../lib/emotions.js';
import { chosenModelId, modelName } from '../lib/models.js';
import { useServiceStatus } from '../status/serviceStatus.js';

const ACCEPT = ['image/jpeg', 'image/png', 'image/webp'];

interface Photo {
  blob: Blob;
  name: string;
  url: string;
}

function rejectionMessage(rejections: FileRejection[]): DetectErrorMessage {
  const code = rejections[0]?.errors[0]?.code;
  if (code === 'file-invalid-type') return WRONG_TYPE;
  if (code === 'too-many-files') return { title: 'One photo at a time', message: 'Choose a single photo.' };
  return {
    title: 'Cannot use this file',
    message: rejections[0]?.errors[0]?.message ?? 'Choose another photo.',
  };
}

export function DetectPage() {
  const [photo, setPhoto] = useState<Photo | null>(null);
  const { data: models } = useModels();
  const [pickedModel, setPickedModel] = useState<string | null>(null);
  const model = chosenModelId(models, pickedModel);
  const detectMutation = useDetect();
  const detection = detectMutation.data ?? null;
  // A refused file (in the page) or a failed detection (from emotion-api).
  const [rejected, setRejected] = useState<DetectErrorMessage | null>(null);
  const error =
    rejected ??
    (detectMutation.error ? detectErrorMessage(detectMutation.error, photo?.blob.size ?? 0) : null);
  const busy = detectMutation.isPending;
  const { canUseApi } = useServiceStatus();
  const stored = useAuthImage(detection ? imageUrlOf(detection) : null);
  const resultRef = useRef<HTMLDivElement>(null);

  // On one-column layouts (phones) the answer appears below the fold: bring it into view.
  const answered = detectMutation.isSuccess || detectMutation.isError || rejected !== null;
  useEffect(() => {
    if (answered && window.matchMedia('(max-width: 62em)').matches) {
      resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  }, [answered]);

  useEffect(() => () => (photo ? URL.revokeObjectURL(photo.url) : undefined), [photo]);

  const choose = (blob: Blob, name: string) => {
    setPhoto({ blob, name, url: URL.createObjectURL(blob) });
    detectMutation.reset();
    setRejected(null);
  };

  const run = () => {
    if (!photo) return;
    setRejected(null);
    detectMutation.mutate({ blob: photo.blob, name: photo.name, model });
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Detect emotion
        </Title>
        <Text c="dimmed" size="sm">
          Upload a photo or use your camera. We find every face and tell you which of seven emotions it shows.
        </Text>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md" padding="md">
            <Stack gap="md">
              <Tabs defaultValue="upload" keepMounted={false}>
                <Tabs.List grow>
                  <Tabs.Tab value="upload">Upload</Tabs.Tab>
                  <Tabs.Tab value="camera">Camera</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="upload" pt="md">
                  <Dropzone
                    onDrop={(files: FileWithPath[]) => {
                      const file = files[0];
                      if (file) choose(file, file.name);
                    }}
                    onReject={(rejections: FileRejection[]) => {
                      setPhoto(null);
                      detectMutation.reset();
                      setRejected(rejectionMessage(rejections));
                    }}
                    accept={ACCEPT}
                    multiple={false}
                    disabled={busy || !canUseApi}
                    inputProps={{ 'aria-label': 'Choose a photo' }}
                  >
                    <Stack align="center" gap={4} py="lg" style={{ pointerEvents: 'none' }}>
                      <UploadIcon size={36} />
                      <Dropzone.Idle>
                        <Text ta="center">Drag a photo here or click to choose a file</Text>
                      </Dropzone.Idle>
                      <Dropzone.Accept>
                        <Text ta="center">Drop the photo to use it</Text>
                      </Dropzone.Accept>
                      <Dropzone.Reject>
                        <Text ta="center">Only JPEG, PNG or WebP photos</Text>
                      </Dropzone.Reject>
                      <Text size="xs" c="dimmed">
                        JPEG, PNG or WebP
                      </Text>
                    </Stack>
                  </Dropzone>
                </Tabs.Panel>
                <Tabs.Panel value="camera" pt="md">
                  <Webcam onCapture={(blob) => choose(blob, 'camera.jpg')} disabled={busy || !canUseApi} />
                </Tabs.Panel>
              </Tabs>
              {photo && !detection && (
                <Image src={photo.url} alt="The photo you chose" radius="md" mah={260} fit="contain" />
              )}
              {photo && (
                <Text size="xs" c="dimmed" truncate="end">
                  {photo.name}
                </Text>
              )}
              {models && models.length > 0 && (
                <ModelPicker models={models} value={model} onChange={setPickedModel} disabled={busy} />
              )}
              <Group grow>
                <Button size="md" onClick={run} loading={busy} disabled={!photo || !canUseApi}>
                  Detect emotion
                </Button>
              </Group>
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }} ref={resultRef}>
          <VisuallyHidden
            role="status"
            aria-live="polite"
            aria-atomic="true"
            data-testid="detect-announcement"
          >
            {busy
              ? 'Looking for faces…'
              : detection
                ? `Result: ${detection.emotion}, ${percent(detection.confidence)} confident, ${
                    detection.faces.length === 1 ? '1 face' : `${detection.faces.length} faces`
                  } found, by the ${modelName(detection.model, models)} model.`
                : ''}
          </VisuallyHidden>
          {error && (
            <Alert color="orange" title={error.title} role="alert" data-testid="detect-error" mb="md">
              {error.message}
            </Alert>
          )}
          {detection && photo ? (
            <DetectionResult
              detection={detection}
              modelLabel={modelName(detection.model, models)}
              imageSrc={stored.src ?? (stored.failed ? photo.url : null)}
            />
          ) : (
            !error && (
              <Card withBorder radius="md" padding="xl">
                <Text c="dimmed" ta="center">
                  {busy ? 'Looking for faces…' : 'Your result will appear here.'}
                </Text>
              </Card>
            )
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
