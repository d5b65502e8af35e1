import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { HistoryService } from '../../src/history/history.service.js';
import { SqlitePredictionStore } from '../../src/predictions/predictions.sqlite.js';
import { bytesOf, jpegOf, prediction } from '../predictions/fixtures.js';
import { storeDialects, type TestStore } from '../predictions/stores.js';

for (const dialect of storeDialects()) {
  describe(`HistoryService.removeUser (a user_deleted revocation event) on ${dialect.name}`, () => {
    let t: TestStore;
    let history: HistoryService;

    before(async () => {
      t = await dialect.open();
      history = new HistoryService({ store: t.store });
    });
    after(() => t.cleanup());

    it("deletes every prediction and image of that user, and nobody else's; again is a no-op", async () => {
      const at = new Date().toISOString();
      const gone = [prediction('deleted-user', at, 'happy', 0.8), prediction('deleted-user', at, 'sad', 0.6)];
      const kept = prediction('other-user', at, 'happy', 0.8);
      for (const p of [...gone, kept]) await t.store.insert(p, jpegOf(p.id));

      assert.equal(await history.removeUser('deleted-user'), 2);

      assert.equal((await t.store.list('deleted-user', { limit: 10, offset: 0 })).total, 0);
      for (const p of gone) assert.equal(await t.store.openImage('deleted-user', p.id), undefined);
      assert.equal((await t.store.list('other-user', { limit: 10, offset: 0 })).total, 1);
      assert.deepEqual(await bytesOf(await t.store.openImage('other-user', kept.id)), jpegOf(kept.id));
      if (t.store instanceof SqlitePredictionStore) assert.equal(readdirSync(t.store.images.dir).length, 1);

      assert.equal(await history.removeUser('deleted-user'), 0);
    });
  });
}
