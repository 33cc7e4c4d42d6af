import path from 'node:path';
import { JsonMailQueueStore } from '../../data/jsonMailQueueStore.js';
import { JsonSandboxRecords } from '../../data/jsonSandboxRecords.js';
import { JsonUsageSyncRecords } from '../../data/jsonUsageSyncRecords.js';
import { BOT_STATE_FILES } from '../../data/openBotState.js';
import { describeMailQueueStoreContract } from './mailQueueStoreContract.js';
import { describeSandboxRecordsContract } from './sandboxRecordsContract.js';
import { folderPlaces } from './storePlaces.js';
import { describeUsageSyncRecordsContract } from './usageSyncRecordsContract.js';

describeSandboxRecordsContract(
  BOT_STATE_FILES.sandbox,
  folderPlaces((dir) => JsonSandboxRecords.open(path.join(dir, BOT_STATE_FILES.sandbox))),
);
describeUsageSyncRecordsContract(
  BOT_STATE_FILES.usageSync,
  folderPlaces((dir) => JsonUsageSyncRecords.open(path.join(dir, BOT_STATE_FILES.usageSync))),
);
describeMailQueueStoreContract(
  BOT_STATE_FILES.mailQueue,
  folderPlaces((dir) => JsonMailQueueStore.open(path.join(dir, BOT_STATE_FILES.mailQueue))),
);
