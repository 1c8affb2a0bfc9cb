# Document 001's "Python Example (for testing)", as printed there. Only the URI's host, port
# and token come from the environment, so that the test can point it at its own hub.
import os

import asyncio
import websockets
import json

async def connect():
    uri = os.environ["SEED_CLIENT_URI"]

    async with websockets.connect(uri) as websocket:
        print("Connected to WebSocket server")

        # Receive messages
        async for message in websocket:
            data = json.loads(message)
            print(f"Received: {data['type']}")
            print(f"Data: {data}")

asyncio.run(connect())
