-- One row per detection. Ids are random UUIDs; times are ISO-8601 UTC strings (lexically ordered).
CREATE TABLE predictions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  emotion TEXT NOT NULL CHECK (emotion IN ('angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise')),
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  probabilities TEXT NOT NULL,
  faces TEXT NOT NULL,
  model TEXT NOT NULL,
  image_file TEXT NOT NULL UNIQUE,
  low_confidence INTEGER NOT NULL DEFAULT 0 CHECK (low_confidence IN (0, 1))
) STRICT;

CREATE INDEX predictions_user_created ON predictions (user_id, created_at DESC, id);
CREATE INDEX predictions_user_emotion ON predictions (user_id, emotion, created_at DESC);
