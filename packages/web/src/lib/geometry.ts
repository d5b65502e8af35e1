import type { Box } from '../api/types.js';

export interface Size {
  width: number;
  height: number;
}

/** A face box as fractions of the image: accepts pixel boxes and already-normalised (0–1) boxes. */
export function toFractions(box: Box, image: Size): Box {
  const normalised = box.x <= 1 && box.y <= 1 && box.width <= 1 && box.height <= 1;
  if (normalised || image.width <= 0 || image.height <= 0) return box;
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const x = clamp(box.x / image.width);
  const y = clamp(box.y / image.height);
  return {
    x,
    y,
    width: Math.min(clamp(box.width / image.width), 1 - x),
    height: Math.min(clamp(box.height / image.height), 1 - y),
  };
}
