"""Drives the emulator with Debian's azure-eventhub 5.11 (pure-Python AMQP over TLS on 5671).

Usage: python_client.py CONNECTION_STRING HUB CA_FILE
Sends a batch (with typed properties) and a single event to partition 0, then receives partition 0
from the earliest position and prints one JSON document with what it got.
"""
import json
import sys
import threading

from azure.eventhub import EventData, EventHubConsumerClient, EventHubProducerClient

conn, hub, ca = sys.argv[1], sys.argv[2], sys.argv[3]

producer = EventHubProducerClient.from_connection_string(conn, eventhub_name=hub, connection_verify=ca, retry_total=1)
with producer:
    props = producer.get_eventhub_properties()
    batch = producer.create_batch(partition_id="0")
    for i in range(5):
        ev = EventData(json.dumps({"py": i}))
        ev.properties = {"n": i, "flag": True, "s": "text"}
        batch.add(ev)
    producer.send_batch(batch)
    producer.send_event(EventData("single"), partition_id="0")
    part = producer.get_partition_properties("0")

received = []
done = threading.Event()


def on_event(context, event):
    if event is None:
        return
    received.append({
        "body": event.body_as_str(),
        "properties": {k.decode() if isinstance(k, bytes) else k: (v.decode() if isinstance(v, bytes) else v) for k, v in (event.properties or {}).items()},
        "sequence_number": event.sequence_number,
        "offset": event.offset,
        "enqueued_time": event.enqueued_time.isoformat() if event.enqueued_time else None,
    })
    if len(received) >= int(sys.argv[4] if len(sys.argv) > 4 else 6):
        done.set()


consumer = EventHubConsumerClient.from_connection_string(conn, consumer_group="$Default", eventhub_name=hub, connection_verify=ca, retry_total=1)
thread = threading.Thread(target=lambda: consumer.receive(on_event=on_event, partition_id="0", starting_position="-1", max_wait_time=1))
thread.start()
done.wait(30)
consumer.close()
thread.join(10)

print(json.dumps({
    "partition_ids": list(props["partition_ids"]),
    "last_sequence": part["last_enqueued_sequence_number"],
    "received": received,
}))
