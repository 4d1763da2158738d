import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// Real message peers on loopback for the messaging tests: an SMTP server (smtp-server; refuses any recipient at
// @refused.example with 550) and an SMS provider (node:http; answers 400 for numbers starting 555-000).

interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
}

interface ReceivedSms {
  readonly to: string;
  readonly body: string;
  readonly messageId: string;
}

export interface MessagePeers {
  readonly smtpUrl: string;
  readonly smsUrl: string;
  readonly mails: ReceivedMail[];
  readonly sms: ReceivedSms[];
  close(): Promise<void>;
}

export async function startMessagePeers(): Promise<MessagePeers> {
  const mails: ReceivedMail[] = [];
  const sms: ReceivedSms[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@refused.example')) return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: (mail.text ?? '').trim(),
            messageId: mail.messageId ?? '',
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = ((smtp as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  const http: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as ReceivedSms;
      if (body.to.startsWith('555-000')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid number 555-000"}');
        return;
      }
      sms.push(body);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"id":"sms-1"}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const smsPort = (http.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smsUrl: `http://127.0.0.1:${smsPort}/messages`,
    mails,
    sms,
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
