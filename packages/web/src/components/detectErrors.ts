import { ApiError, errorMessage } from '../api/problem.js';

export interface DetectErrorMessage {
  title: string;
  message: string;
}

export const WRONG_TYPE: DetectErrorMessage = {
  title: 'Not a supported image',
  message: 'This file is not a photo we can read. Use a JPEG, PNG or WebP image.',
};

/** The user-facing explanation of a failed detection, per problem code. */
export function detectErrorMessage(error: unknown): DetectErrorMessage {
  if (!(error instanceof ApiError)) return { title: 'Detection failed', message: errorMessage(error) };
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
    case 'image_too_large':
      return {
        title: 'Photo too large',
        message: `${error.detail ?? 'This photo is too large.'} Try a smaller photo or take a new one with the camera.`,
      };
    case 'unsupported_media_type':
      return WRONG_TYPE;
    case 'rate_limited':
      return {
        title: 'Too many detections',
        message: error.retryAfter
          ? `You are going a bit fast. Please wait ${error.retryAfter} seconds and try again.`
          : 'You are going a bit fast. Please wait a moment and try again.',
      };
    default:
      return { title: 'Detection failed', message: errorMessage(error) };
  }
}
