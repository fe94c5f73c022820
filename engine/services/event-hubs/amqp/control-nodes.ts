// The request/response nodes: `$cbs` (put-token, spec §2) and `$management` (READ, spec §3).
// Responses go back on the server-to-client link of the same connection and AMQP session whose
// source is the node; reply-to only breaks ties (the JS CBS receiver has no target, Python sends
// no reply-to). correlation-id keeps the request message-id's AMQP type (string or ulong).
import rhea, { type EventContext, type Message, type Sender, type Session } from 'rhea';
import type { EventHubsNamespace } from '../model/namespace.js';
import { resourcePath, validateSasToken } from '../model/sas.js';
import type { ConnectionAuth } from './connection-auth.js';
import { internals, markSettled } from './rhea-internals.js';

const t = rhea.types;

function replyLink(session: Session, node: 'cbs' | 'management', replyTo: unknown): Sender | undefined {
  const candidates: Sender[] = [];
  const links = (session as unknown as { links: Record<string, { is_sender(): boolean; remote: { attach?: { source?: { address?: string } } } }> }).links;
  for (const link of Object.values(links)) {
    if (!link.is_sender()) continue;
    const addr = link.remote.attach?.source?.address ?? '';
    const path = addr.replace(/^.*:\/\/[^/]*\//, '').toLowerCase();
    const isNode = node === 'cbs' ? path === '$cbs' : path === '$management' || path.endsWith('/$management');
    if (isNode) candidates.push(link as unknown as Sender);
  }
  if (candidates.length <= 1 || replyTo === undefined) return candidates[0];
  return (
    candidates.find((l) => (l as unknown as { remote: { attach?: { target?: { address?: string } } } }).remote.attach?.target?.address === replyTo) ??
    candidates[0]
  );
}

function respond(context: EventContext, node: 'cbs' | 'management', status: number, description: string, body?: unknown, condition?: string): void {
  const request = context.message as Message;
  const link = replyLink(context.session!, node, request.reply_to);
  if (!link) return;
  const appProps: Record<string, unknown> = { 'status-code': t.wrap_int(status), 'status-description': description };
  if (condition) appProps['error-condition'] = condition;
  const response = { correlation_id: request.message_id, application_properties: appProps };
  const message = { ...response, ...(request.reply_to !== undefined ? { to: request.reply_to } : {}), ...(body !== undefined ? { body } : {}) } as Message;
  const delivery = link.send(message);
  if (internals(link).local.attach.snd_settle_mode === 1) markSettled(delivery);
}

export function handleCbs(context: EventContext, namespace: EventHubsNamespace, auth: ConnectionAuth): void {
  const request = context.message as Message;
  context.delivery!.accept();
  const props = (request.application_properties ?? {}) as Record<string, unknown>;
  if (props.operation !== 'put-token') {
    respond(context, 'cbs', 400, `The operation '${String(props.operation)}' is not supported by $cbs.`, undefined, 'com.microsoft:argument-error');
    return;
  }
  const audience = String(props.name ?? '');
  const token = typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  const now = namespace.clock.now();
  if (namespace.config.auth === 'accept-any' || props.type === 'jwt') {
    // Entra ID tokens cannot be checked offline; 'accept-any' lets unsigned clients in.
    auth.grant(audience, now + 3_600_000);
    respond(context, 'cbs', 202, 'Accepted');
    return;
  }
  const check = validateSasToken(token, namespace.config.policies, now);
  if (!check.ok) {
    respond(context, 'cbs', 401, check.reason, undefined, 'amqp:unauthorized-access');
    return;
  }
  const granted = resourcePath(check.resource);
  const wanted = resourcePath(audience);
  if (granted !== '' && wanted !== granted && !wanted.startsWith(granted + '/')) {
    respond(context, 'cbs', 401, `InvalidAudience: the token is for '${check.resource}', not '${audience}'.`, undefined, 'amqp:unauthorized-access');
    return;
  }
  auth.grant(audience, check.expiresAtMs);
  respond(context, 'cbs', 202, 'Accepted');
}

export function handleManagement(context: EventContext, namespace: EventHubsNamespace, auth: ConnectionAuth): void {
  const request = context.message as Message;
  context.delivery!.accept();
  const props = (request.application_properties ?? {}) as Record<string, unknown>;
  const hubName = String(props.name ?? '');
  const now = namespace.clock.now();
  const token = typeof props.security_token === 'string' ? props.security_token : undefined;
  const tokenOk = token !== undefined && validateSasToken(token, namespace.config.policies, now).ok;
  if (namespace.config.auth !== 'accept-any' && !tokenOk && !auth.allows(`${hubName}/$management`, now)) {
    respond(context, 'management', 401, 'Unauthorized: put a token for the $management node first.', undefined, 'amqp:unauthorized-access');
    return;
  }
  if (props.operation !== 'READ') {
    respond(context, 'management', 400, `The operation '${String(props.operation)}' is not supported.`, undefined, 'com.microsoft:argument-error');
    return;
  }
  if (props.type === 'com.microsoft:eventhub') {
    const hub = namespace.hubProperties(hubName);
    if (!hub) return respond(context, 'management', 404, `The messaging entity '${hubName}' could not be found.`, undefined, 'amqp:not-found');
    respond(context, 'management', 200, 'OK', {
      name: hub.name,
      created_at: t.wrap_timestamp(hub.createdAt),
      partition_count: t.wrap_int(hub.partitionIds.length),
      partition_ids: t.wrap_array(hub.partitionIds, 0xa1, undefined),
      georeplication_factor: t.wrap_int(1),
    });
    return;
  }
  if (props.type === 'com.microsoft:partition') {
    const partitionId = String(props.partition ?? '');
    if (!namespace.hub(hubName)) return respond(context, 'management', 404, `The messaging entity '${hubName}' could not be found.`, undefined, 'amqp:not-found');
    const p = namespace.partitionProperties(hubName, partitionId);
    if (!p)
      return respond(context, 'management', 400, `The specified partition '${partitionId}' is invalid for '${hubName}'.`, undefined, 'com.microsoft:argument-out-of-range');
    respond(context, 'management', 200, 'OK', {
      name: p.hub,
      partition: p.partitionId,
      begin_sequence_number: t.wrap_long(p.beginningSequenceNumber),
      last_enqueued_sequence_number: t.wrap_long(p.lastEnqueuedSequenceNumber),
      last_enqueued_offset: p.lastEnqueuedOffset,
      last_enqueued_time_utc: t.wrap_timestamp(p.lastEnqueuedTime),
      is_partition_empty: t.wrap_boolean(p.isEmpty),
    });
    return;
  }
  respond(context, 'management', 400, `The type '${String(props.type)}' is not supported.`, undefined, 'com.microsoft:argument-error');
}
