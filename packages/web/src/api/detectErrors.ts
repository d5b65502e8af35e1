import { ApiError, errorMessage } from './problem.js';

export interface DetectErrorMessage {
  title: string;
  message: string;
}

export const WRONG_TYPE: DetectErrorMessage = {
  title: 'Not a supported image',
  message: 'This file is not a photo we can read. Use a JPEG, PNG or WebP image.',
};

export const TOO_LARGE: DetectErrorMessage = {
  title: 'Photo too large',
  message: 'This photo is too large to upload. Try a smaller photo or take a new one with the camera.',
};

/** Uploads above this size that fail without an answer were most likely cut off by the size limit. */
const LIKELY_TOO_LARGE_BYTES = 4 * 1024 * 1024;

/** The user-facing explanation of a failed detection, per problem code. */
export function detectErrorMessage(error: unknown, uploadBytes = 0): DetectErrorMessage {
  if (!(error instanceof ApiError)) return { title: 'Detection failed', message: errorMessage(error) };
  // A server refusing a big upload may close the connection before the browser finished sending.
  if (error.status === 0 && uploadBytes > LIKELY_TOO_LARGE_BYTES) return TOO_LARGE;
  switch (error.code) {
    case 'no_face_detected':
      return {
        title: 'No face found',
        message: 'We could not find a face in this photo. Try a clear, front-facing photo with good light.',
      };
    case 'low_confidence':
      return {
        title: 'Not sure about this one',
        message:
          'We found a face but could not tell the emotion with enough confidence. Try a sharper photo or a clearer expression.',
      };
    case 'payload_too_large':
      return TOO_LARGE;
    case 'image_too_large':
      return {
        title: 'Photo too large',
        message: 'This photo has too many pixels. Try a smaller photo or take a new one with the camera.',
      };
    case 'unsupported_media_type':
      return WRONG_TYPE;
    case 'rate_limited':
      return {
        title: 'Too many detections',
        message: error.retryAfterSec
          ? `You are going a bit fast. Please wait ${error.retryAfterSec} seconds and try again.`
          : 'You are going a bit fast. Please wait a moment and try again.',
      };
    default:
      return { title: 'Detection failed', message: errorMessage(error) };
  }
}
