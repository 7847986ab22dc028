import { FUNCTIONS, type FunctionName } from '@serverless-orders/function-catalogue';
import { ACCOUNT_ID, PREFIX, type Started } from '../started';
import { Schedule } from './schedule';

/** Step 6b: the other triggers: each scheduled function's schedule. */
export function startSchedules(s: Started): void {
  const { options, env } = s;
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'schedule') continue;
    const schedule = new Schedule({
      everyMs: (options.reconcileEverySeconds ?? fn.trigger.everyMinutes * 60) * 1000,
      invoke: async (event) => {
        // EventBridge Scheduler invokes with the schedule's own role (schedulerPolicy).
        const arn = `arn:aws:lambda:${options.region}:${ACCOUNT_ID}:function:${fn.app}`;
        const decision = await s.iam.authorize(s.roles.schedule(fn.app as FunctionName), [{ action: 'lambda:InvokeFunction', resource: arn }]);
        if (!decision.allowed) {
          env.log(`[scheduler] ${fn.app} not invoked: AccessDeniedException: ${decision.message}`);
          return;
        }
        const result = await s.invoke(fn.app, event);
        if (!result.ok) env.log(`[scheduler] ${fn.app} failed: ${result.errorType}: ${result.errorMessage}`);
      },
      scheduleArn: `arn:aws:scheduler:${options.region}:${ACCOUNT_ID}:schedule/default/${PREFIX}-${fn.app}`,
      log: (l) => env.log(`[scheduler] ${l}`),
    });
    schedule.start();
    s.triggerStops.push(() => schedule.stop());
  }
}
