/**
 * Aligned face crops: a square centred on the eyes and mouth, sized by the inter-ocular and
 * eye-to-mouth distances and turned upright by the eye line, so every classifier sees a face framed
 * like the crops it was trained on.
 * Pure geometry and pixel sampling; no tensors.
 */
import type { FaceBox } from './types.js';

export type Point = readonly [number, number];

/** A square region of the image, rotated by `angle` (radians, clockwise in image coordinates). */
export interface AlignedCrop {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** Where the eyes and the mouth are in the face, in image pixels. */
export interface FaceKeypoints {
  /** The eye on the image's left. */
  leftEye: Point;
  rightEye: Point;
  mouth: Point;
}

/** Where a network wants the eyes and mouth: fractions of the crop's side. */
export interface Framing {
  /** Eye line and mouth centre, from the top. */
  eyeLine: number;
  mouthLine: number;
  /** Distance between the eye centres. */
  eyeDistance: number;
}

/**
 * FER2013's framing (human's network was trained on it): the medians of facemesh on 250 faces of
 * the fit half of fixtures/fer2013-public-test, upscaled to 192 px.
 */
export const FER_FRAMING: Framing = { eyeLine: 0.31, mouthLine: 0.72, eyeDistance: 0.39 };
/**
 * A looser framing, closer to the face boxes of face-api's own detectors that its expression
 * network was trained on: more forehead and chin.
 */
export const LOOSE_FRAMING: Framing = { eyeLine: 0.37, mouthLine: 0.75, eyeDistance: 0.4 };

/**
 * How far human's square sits above the framing it was measured in, as a fraction of its side: on
 * FER2013 the network reads faces better with a little more forehead and less chin (human alone,
 * fit half: 61.8% → 63.3%; held-out half 61.0% → 62.1%). Chosen on the fit half among shifts of 6%
 * up, down, left and right and scales from 0.88 to 1.25 (see MODEL_CARD.md).
 */
export const HUMAN_RAISE = 0.06;

/** facemesh indices: the corners of each eye and the inner lips (canonical MediaPipe face mesh). */
const MESH_LEFT_EYE = [33, 133] as const;
const MESH_RIGHT_EYE = [362, 263] as const;
const MESH_MOUTH = [13, 14, 61, 291] as const;
/** BlazeFace's six keypoints (human without facemesh): eye, eye, nose, mouth, ear, ear. */
const BLAZE_POINTS = 6;

function mean(points: readonly (readonly number[])[], indices: readonly number[]): Point {
  let [x, y] = [0, 0];
  for (const i of indices) {
    x += points[i]?.[0] ?? 0;
    y += points[i]?.[1] ?? 0;
  }
  return [x / indices.length, y / indices.length];
}

/** Eyes and mouth from facemesh's 468 points or BlazeFace's 6; undefined for any other shape. */
export function keypointsOf(mesh: readonly (readonly number[])[]): FaceKeypoints | undefined {
  let [a, b, mouth]: Point[] = [];
  if (mesh.length >= 468) {
    [a, b, mouth] = [mean(mesh, MESH_LEFT_EYE), mean(mesh, MESH_RIGHT_EYE), mean(mesh, MESH_MOUTH)];
  } else if (mesh.length === BLAZE_POINTS) {
    [a, b, mouth] = [mean(mesh, [0]), mean(mesh, [1]), mean(mesh, [3])];
  } else return undefined;
  if (!a || !b || !mouth) return undefined;
  return a[0] <= b[0] ? { leftEye: a, rightEye: b, mouth } : { leftEye: b, rightEye: a, mouth };
}

/** The aligned square for a face's eyes and mouth. */
export function alignedCrop(
  { leftEye, rightEye, mouth }: FaceKeypoints,
  framing: Framing = FER_FRAMING,
): AlignedCrop {
  const { eyeLine, mouthLine, eyeDistance } = framing;
  const angle = Math.atan2(rightEye[1] - leftEye[1], rightEye[0] - leftEye[0]);
  const eyes: Point = [(leftEye[0] + rightEye[0]) / 2, (leftEye[1] + rightEye[1]) / 2];
  const interOcular = Math.hypot(rightEye[0] - leftEye[0], rightEye[1] - leftEye[1]);
  // The mouth's distance below the eye line, measured across it (a turned head keeps its height).
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  const down = -(mouth[0] - eyes[0]) * uy + (mouth[1] - eyes[1]) * ux;
  const eyeToMouth = Math.max(down, interOcular * 0.5);
  const side = (interOcular / eyeDistance + eyeToMouth / (mouthLine - eyeLine)) / 2;
  // The centre lies below the eye line by (0.5 - eyeLine) of the side, across the eye line.
  const drop = (0.5 - eyeLine) * side;
  return { cx: eyes[0] - uy * drop, cy: eyes[1] + ux * drop, side, angle };
}

/** An upright square around a box (no landmarks): centred on it, as large as its longer side. */
export function boxCrop(box: FaceBox): AlignedCrop {
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    side: Math.max(box.width, box.height),
    angle: 0,
  };
}

/** `crop` moved up by `fraction` of its side, along its own upright axis. */
export function raised(crop: AlignedCrop, fraction: number): AlignedCrop {
  const d = fraction * crop.side;
  return { ...crop, cx: crop.cx + Math.sin(crop.angle) * d, cy: crop.cy - Math.cos(crop.angle) * d };
}

/** A point of the image in the crop's own coordinates, 0–1 across and down (outside: <0 or >1). */
export function toCropCoordinates(crop: AlignedCrop, [x, y]: Point): Point {
  const [dx, dy] = [x - crop.cx, y - crop.cy];
  const [c, s] = [Math.cos(crop.angle), Math.sin(crop.angle)];
  return [(dx * c + dy * s) / crop.side + 0.5, (-dx * s + dy * c) / crop.side + 0.5];
}

/** The upright bounding box of the (possibly rotated) crop, for answering where the face is. */
export function cropBounds(crop: AlignedCrop): FaceBox {
  const half = (crop.side / 2) * (Math.abs(Math.cos(crop.angle)) + Math.abs(Math.sin(crop.angle)));
  return { x: crop.cx - half, y: crop.cy - half, width: 2 * half, height: 2 * half };
}

/**
 * The crop as `size`×`size` RGB floats (0–255, row-major): the mean of 2×2 bilinear samples per
 * output pixel (3×3 when the crop is over twice `size`, so nothing aliases), as human's own crop
 * at twice the size averaged down; outside the image repeats its edge.
 */
export function sampleCrop(
  image: { data: Uint8Array; width: number; height: number },
  crop: AlignedCrop,
  size: number,
): Float32Array {
  const { data, width, height } = image;
  const out = new Float32Array(size * size * 3);
  const step = crop.side / size;
  const k = Math.max(2, Math.min(3, Math.ceil(step)));
  const [c, s] = [Math.cos(crop.angle), Math.sin(crop.angle)];
  const weight = 1 / (k * k);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const o = (row * size + col) * 3;
      for (let sy = 0; sy < k; sy++) {
        for (let sx = 0; sx < k; sx++) {
          // Offsets from the crop's centre along its own axes, then into image pixels (centres at +0.5).
          const u = (col + (sx + 0.5) / k) * step - crop.side / 2;
          const v = (row + (sy + 0.5) / k) * step - crop.side / 2;
          const x = Math.max(0, Math.min(width - 1, crop.cx + u * c - v * s - 0.5));
          const y = Math.max(0, Math.min(height - 1, crop.cy + u * s + v * c - 0.5));
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const fx = x - x0;
          const fy = y - y0;
          const i00 = (y0 * width + x0) * 3;
          const i01 = (y0 * width + Math.min(width - 1, x0 + 1)) * 3;
          const i10 = (Math.min(height - 1, y0 + 1) * width + x0) * 3;
          const i11 = (Math.min(height - 1, y0 + 1) * width + Math.min(width - 1, x0 + 1)) * 3;
          const w00 = (1 - fx) * (1 - fy) * weight;
          const w01 = fx * (1 - fy) * weight;
          const w10 = (1 - fx) * fy * weight;
          const w11 = fx * fy * weight;
          for (let ch = 0; ch < 3; ch++) {
            out[o + ch] =
              (out[o + ch] ?? 0) +
              (data[i00 + ch] ?? 0) * w00 +
              (data[i01 + ch] ?? 0) * w01 +
              (data[i10 + ch] ?? 0) * w10 +
              (data[i11 + ch] ?? 0) * w11;
          }
        }
      }
    }
  }
  return out;
}
