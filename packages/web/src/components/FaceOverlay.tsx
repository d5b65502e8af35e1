import { Badge, Box as MantineBox } from '@mantine/core';
import { useState } from 'react';
import type { Face } from '../api/types.js';
import { EMOTION_COLOR, emotionLabel, percent } from '../lib/emotions.js';
import { type Size, toFractions } from '../lib/geometry.js';

/** The photo with a coloured box and a label drawn over every detected face. */
export function FaceOverlay({ src, faces, alt }: { src: string; faces: Face[]; alt: string }) {
  const [size, setSize] = useState<Size | null>(null);
  return (
    <MantineBox pos="relative" style={{ display: 'inline-block', maxWidth: '100%', lineHeight: 0 }}>
      <img
        src={src}
        alt={alt}
        style={{ maxWidth: '100%', maxHeight: '60vh', display: 'block', borderRadius: 8 }}
        onLoad={(event) =>
          setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
        }
      />
      {size &&
        faces.map((face, index) => {
          const box = toFractions(face.box, size);
          const color = `var(--mantine-color-${EMOTION_COLOR[face.emotion] ?? 'blue'}-5)`;
          const label = `${emotionLabel(face.emotion)} ${percent(face.confidence)}`;
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: faces have no id and never reorder
              key={index}
              data-testid="face-box"
              role="img"
              aria-label={`Face ${index + 1}: ${label}`}
              style={{
                position: 'absolute',
                left: `${box.x * 100}%`,
                top: `${box.y * 100}%`,
                width: `${box.width * 100}%`,
                height: `${box.height * 100}%`,
                border: `3px solid ${color}`,
                borderRadius: 4,
                boxShadow: '0 0 0 1px rgba(0,0,0,0.4)',
              }}
            >
              <Badge
                color={EMOTION_COLOR[face.emotion] ?? 'blue'}
                variant="filled"
                size="sm"
                radius="sm"
                data-testid="face-label"
                tt="none"
                style={{
                  position: 'absolute',
                  left: -3,
                  bottom: '100%',
                  marginBottom: 2,
                  whiteSpace: 'nowrap',
                }}
              >
                {label}
              </Badge>
            </div>
          );
        })}
    </MantineBox>
  );
}
