-- One row per detection (PostgreSQL). Ids are random UUIDs kept as text, so a malformed id in a URL
-- is simply not found. `seq` orders rows stored in the same millisecond (SQLite's rowid).
CREATE TABLE predictions (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  user_id text NOT NULL,
  created_at timestamptz NOT NULL,
  emotion text NOT NULL CHECK (emotion IN ('angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise')),
  confidence double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  probabilities json NOT NULL,
  faces json NOT NULL,
  model text NOT NULL,
  low_confidence boolean NOT NULL DEFAULT false
);

CREATE INDEX predictions_user_time ON predictions (user_id, created_at DESC, seq DESC);
CREATE INDEX predictions_user_emotion_time ON predictions (user_id, emotion, created_at DESC, seq DESC);
CREATE INDEX predictions_user_model_time ON predictions (user_id, model, created_at DESC, seq DESC);

-- The stored (re-encoded) JPEG, apart so that listing never reads image bytes.
CREATE TABLE prediction_images (
  prediction_id text PRIMARY KEY REFERENCES predictions (id) ON DELETE CASCADE,
  jpeg bytea NOT NULL
);
