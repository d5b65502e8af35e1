import type { Detection } from '../../api/types.js';

/** The landing page's photo (in public/): the project's happy test face, 360×440. */
export const SAMPLE_IMAGE = '/sample-face.jpg';

const probabilities = {
  angry: 0.0003,
  disgust: 0,
  fear: 0.0003,
  happy: 0.9589,
  neutral: 0.0404,
  sad: 0.0001,
  surprise: 0,
};

/** What emotion-api answered for SAMPLE_IMAGE, kept as a static example (no request made). */
export const SAMPLE_DETECTION: Pick<Detection, 'emotion' | 'confidence' | 'probabilities' | 'faces'> = {
  emotion: 'happy',
  confidence: 0.9589,
  probabilities,
  faces: [
    { box: { x: 106, y: 107, width: 176, height: 206 }, emotion: 'happy', confidence: 0.9589, probabilities },
  ],
};
