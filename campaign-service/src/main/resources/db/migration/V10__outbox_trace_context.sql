-- The W3C trace context (traceparent, tracestate) of the transaction that wrote the event, so that the relay publishes
-- it as a child of that work and consumers continue the same trace. Null when tracing was off or the writer had no
-- trace. Nullable columns without a default: adding them rewrites nothing, old rows simply have none.
alter table outbox_event
    add column traceparent varchar(55),
    add column tracestate varchar(512);
