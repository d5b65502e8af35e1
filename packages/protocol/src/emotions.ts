/** The seven emotion labels (FER2013's, DESIGN §4), in the order the API lists them. */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'] as const;

/** One of {@link EMOTIONS}. */
export type Emotion = (typeof EMOTIONS)[number];
