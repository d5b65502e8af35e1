/**
 * Pure geometry of the detection pipeline: which regions the emotion model sees, how detections
 * of two detectors merge, and how boxes go from the decoded (small) image back to full size. No
 * tensors here; `infer.ts` runs the models around these.
 */
import type { FaceBox } from './types.js';

/** A detector's box as `@vladmandic/human` gives it: `[x, y, width, height]` in input pixels. */
export type Rect = readonly [number, number, number, number];

/** A detected face as far as geometry cares: its loose box and its facemesh landmarks (maybe none). */
export interface DetectedFace {
  box: Rect;
  /** `[x, y, z]` landmarks in input pixels; empty when facemesh rejected the face. */
  mesh: readonly (readonly number[])[];
}

/** Smaller than this on either side: no face can be found or classified. */
export const MIN_SIDE = 24;
/** Up to this size (FER2013 crops are 48×48, the model's input is 64×64) an image is one face. */
export const TIGHT_CROP_SIDE = 64;
/** A face-less image this small (full-size pixels) and this close to square is taken as a tight face crop. */
export const CROP_MAX_SIDE = 512;
export const CROP_MAX_ASPECT = 1.5;
/** The emotion crop is the facemesh landmarks' bounding box grown by this fraction on each side. */
export const MESH_MARGIN = 0.15;
/** Without landmarks, human's loose box (detector scale 1.4) loses this fraction on each side instead. */
export const FACE_CROP = 0.15;
/**
 * The short-range detector misses faces narrower than about a sixth of the image's longer side:
 * when it finds none, or its largest face (human's loose box) is narrower than this fraction of
 * that side, the full-range detector looks too, so group photos and distant faces are still found.
 */
export const SHORT_RANGE_MIN_FACE = 1 / 3;
/** Two detections overlapping more than this (intersection over union) are the same face. */
export const SAME_FACE_IOU = 0.3;

/** Intersection over union of two `[x, y, w, h]` boxes: 1 for the same box, 0 when they do not overlap. */
export function iou(a: Rect, b: Rect): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/** The region the emotion model sees: the landmarks' bounds plus a margin, or the shrunk detector box. */
export function emotionRegion(face: DetectedFace): FaceBox {
  if (face.mesh.length > 0) {
    let [minX, minY, maxX, maxY] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0];
    for (const [x = 0, y = 0] of face.mesh) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    const [w, h] = [maxX - minX, maxY - minY];
    return {
      x: minX - w * MESH_MARGIN,
      y: minY - h * MESH_MARGIN,
      width: w * (1 + 2 * MESH_MARGIN),
      height: h * (1 + 2 * MESH_MARGIN),
    };
  }
  const [x, y, w, h] = face.box;
  return {
    x: x + w * FACE_CROP,
    y: y + h * FACE_CROP,
    width: w * (1 - 2 * FACE_CROP),
    height: h * (1 - 2 * FACE_CROP),
  };
}

/** Rounds `box` to whole pixels inside a `width`×`height` image, at least 1×1. */
export function clampBox(box: FaceBox, width: number, height: number): FaceBox {
  const x = Math.max(0, Math.min(width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(box.y)));
  const w = Math.max(1, Math.min(width - x, Math.round(box.width)));
  const h = Math.max(1, Math.min(height - y, Math.round(box.height)));
  return { x, y, width: w, height: h };
}

/**
 * A box in pixels of the decoded image (`width`×`height`, shrunk by `scale`) in pixels of the
 * full-size image, clamped to it.
 */
export function toFullSize(box: FaceBox, image: { width: number; height: number; scale: number }): FaceBox {
  const { width, height, scale } = image;
  return clampBox(
    { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale },
    Math.round(width * scale),
    Math.round(height * scale),
  );
}

/** The whole image as one box. */
export function wholeImage(width: number, height: number): FaceBox {
  return { x: 0, y: 0, width, height };
}

/** An image this small is one face as it is: no detector runs. */
export function isTightCrop(width: number, height: number): boolean {
  return Math.max(width, height) <= TIGHT_CROP_SIDE;
}

/**
 * Whether an image in which no detector found a face is still taken as one face: small (at most
 * CROP_MAX_SIDE full-size pixels on its longer side) and close to square.
 */
export function looksLikeFaceCrop(width: number, height: number, scale: number): boolean {
  const aspect = Math.max(width, height) / Math.min(width, height);
  return Math.max(width, height) * scale <= CROP_MAX_SIDE && aspect <= CROP_MAX_ASPECT;
}

/** Whether the short-range detector's faces leave room for small faces it cannot see. */
export function needsFullRange(faces: readonly DetectedFace[], width: number, height: number): boolean {
  const largest = Math.max(0, ...faces.map((f) => f.box[2]));
  return largest < SHORT_RANGE_MIN_FACE * Math.max(width, height);
}

/** The full-range detector's faces plus the short-range ones that are not already among them. */
export function mergeDetections<F extends DetectedFace>(distant: readonly F[], near: readonly F[]): F[] {
  return [...distant, ...near.filter((f) => distant.every((d) => iou(d.box, f.box) <= SAME_FACE_IOU))];
}

/**
 * `boxes` as `tf.image.cropAndResize` wants them: `[y1, x1, y2, x2]` normalised to the image, with
 * the last row and column of each box included.
 */
export function cropCoordinates(boxes: readonly FaceBox[], width: number, height: number): number[][] {
  return boxes.map((b) => [
    b.y / (height - 1),
    b.x / (width - 1),
    (b.y + b.height - 1) / (height - 1),
    (b.x + b.width - 1) / (width - 1),
  ]);
}

/** Largest box first. */
export function byAreaDescending(a: { box: FaceBox }, b: { box: FaceBox }): number {
  return b.box.width * b.box.height - a.box.width * a.box.height;
}
