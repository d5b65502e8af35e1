import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';

type CameraState = 'idle' | 'starting' | 'live';

/** Turns a getUserMedia failure into a sentence the user can act on. */
export function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was refused. Allow the camera for this site in your browser settings, or upload a photo instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'No camera was found. Connect a camera, or upload a photo instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is busy or could not be started. Close other apps using it and try again.';
    default:
      return 'The camera could not be started. You can upload a photo instead.';
  }
}

/** A live camera preview with "Take photo", which hands a JPEG to `onCapture`. */
export function Webcam({ onCapture, disabled }: { onCapture: (photo: Blob) => void; disabled?: boolean }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [state, setState] = useState<CameraState>('idle');
  const [error, setError] = useState<string | null>(null);

  const stop = useCallback(() => {
    for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setState('idle');
  }, []);

  useEffect(() => stop, [stop]);

  const start = async () => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError(
        'This browser cannot use a camera on this page (cameras need HTTPS or localhost). Upload a photo instead.',
      );
      return;
    }
    setState('starting');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
        audio: false,
      });
      streamRef.current = stream;
      const video = videoRef.current;
      if (video) {
        video.srcObject = stream;
        await video.play().catch(() => undefined);
      }
      setState('live');
    } catch (cause) {
      setState('idle');
      setError(cameraErrorMessage(cause));
    }
  };

  const capture = () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) {
      setError('The camera has no picture yet. Wait a moment and try again.');
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(
      (blob) => {
        if (!blob) {
          setError('Could not take the photo. Please try again.');
          return;
        }
        stop();
        onCapture(blob);
      },
      'image/jpeg',
      0.92,
    );
  };

  return (
    <Stack gap="sm">
      <video
        ref={videoRef}
        playsInline
        muted
        aria-label="Camera preview"
        style={{
          display: state === 'live' ? 'block' : 'none',
          width: '100%',
          maxHeight: '50vh',
          borderRadius: 8,
          background: 'black',
          transform: 'scaleX(-1)',
        }}
      />
      {state !== 'live' && (
        <Text size="sm" c="dimmed">
          Take a photo with your camera. Nothing is recorded until you press "Take photo".
        </Text>
      )}
      {error && (
        <Alert color="orange" title="Camera unavailable" role="alert">
          {error}
        </Alert>
      )}
      <Group gap="sm">
        {state === 'live' ? (
          <>
            <Button onClick={capture} disabled={disabled}>
              Take photo
            </Button>
            <Button variant="default" onClick={stop}>
              Stop camera
            </Button>
          </>
        ) : (
          <Button
            variant="light"
            onClick={() => void start()}
            loading={state === 'starting'}
            disabled={disabled}
          >
            Start camera
          </Button>
        )}
      </Group>
    </Stack>
  );
}
