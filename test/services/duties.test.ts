import { Duties, ProcessDutyLocks } from '../../services/duties.js';
import { systemClock } from '../../services/ports.js';
import { describeDutiesContract } from '../data/dutiesContract.js';

// The embedded store's duties: one process, so its own exclusion is the whole story.
describeDutiesContract('one process', async () => new Duties(new ProcessDutyLocks(systemClock)), { severalInstances: false });
