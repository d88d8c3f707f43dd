import type { Command } from 'commander';
import type { CliCommand } from '../CliCommand.js';

/**
 * `dispel4ts node --broker URL`: a long-running MQTT worker node that announces itself,
 * runs the PE instances coordinators send it (only jobs signed with the cluster secret) and
 * leaves cleanly on SIGTERM or Ctrl-C.
 */
export const nodeCommand: CliCommand = (program: Command) => {
  program
    .command('node')
    .description(
      'run an MQTT worker node: takes PE instances from runs on the broker (--backend mqtt)',
    )
    .requiredOption('--broker <url>', 'the MQTT broker, e.g. mqtt://10.0.0.5:1883 or mqtts://...')
    .option('--name <name>', "the node's name in plans and errors (default: host-pid)")
    .option('--capacity <k>', 'endpoints (sets of PE instances) it runs at once (default 1)')
    .option('--username <user>', 'broker login')
    .option('--password <password>', 'broker password')
    .option('--ca <file>', 'TLS: CA certificate (PEM) to trust')
    .option('--cert <file>', 'TLS: client certificate (PEM)')
    .option('--key <file>', 'TLS: client key (PEM)')
    .option('--insecure', 'TLS: accept a broker certificate that does not verify')
    .option('--topic-prefix <prefix>', 'topic prefix of the cluster (default dispel4ts)')
    .option('--secret-file <file>', 'file holding the cluster secret (default: $DISPEL4TS_SECRET)')
    .option('--max-message-bytes <n>', 'larger messages are dropped, logged (default 64 MiB)')
    .addHelpText(
      'after',
      `
Examples:
  $ DISPEL4TS_SECRET=s3cret dispel4ts node --broker mqtt://10.0.0.5:1883 --name gpu-1
  $ dispel4ts node --broker mqtts://broker:8883 --ca ca.pem --username u --password p --secret-file /etc/d4ts.secret
  then, anywhere: DISPEL4TS_SECRET=s3cret dispel4ts run wf.ts --backend mqtt --broker mqtt://10.0.0.5:1883`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const { nodeOptionsFrom, runNode } = await import('../../../backends/mqtt/runNode.js');
      let options;
      try {
        options = nodeOptionsFrom(flags);
      } catch (error) {
        process.stderr.write(`dispel4ts node: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        process.exitCode = await runNode(options);
      } catch (error) {
        process.stderr.write(`dispel4ts node: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });
};
