-- Indexes that serve `ORDER BY created_at DESC, rowid DESC` without a sort (every index ends with
-- the rowid, so scanning (user_id, created_at) backwards yields exactly that order), and /logs?model=.
DROP INDEX predictions_user_created;
DROP INDEX predictions_user_emotion;
CREATE INDEX predictions_user_time ON predictions (user_id, created_at);
CREATE INDEX predictions_user_emotion_time ON predictions (user_id, emotion, created_at);
CREATE INDEX predictions_user_model_time ON predictions (user_id, model, created_at);
