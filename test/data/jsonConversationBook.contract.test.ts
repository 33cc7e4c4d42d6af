import path from 'node:path';
import { JsonConversationBook } from '../../data/jsonConversationBook.js';
import { describeConversationBookContract } from './conversationBookContract.js';
import { folderPlaces } from './storePlaces.js';

describeConversationBookContract(
  'conversations.json',
  folderPlaces((dir) => JsonConversationBook.open(path.join(dir, 'conversations.json'))),
);
