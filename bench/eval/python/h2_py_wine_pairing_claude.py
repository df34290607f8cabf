"""Sommelier chat behind the "Ask our sommelier" widget on cellarandco.shop (Flask, POST /api/chat).

The widget sends {"session_id", "message", "wine_sku"} for every message the shopper types;
Claude answers with the tasting notes of the bottle the shopper is looking at.
"""

import os

import anthropic
from flask import Flask, jsonify, request

app = Flask(__name__)
claude = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

SYSTEM = (
    "You are the sommelier of Cellar & Co, an online wine shop. Suggest food pairings and serving "
    "tips in at most five sentences, and only recommend wines that the shop sells."
)
TASTING_NOTES = {
    "RIO-RES-2018": "Rioja Reserva 2018, Tempranillo: red cherry, vanilla, soft tannins; serve at 17 °C.",
    "SAN-BLA-2023": "Sancerre 2023, Sauvignon Blanc: citrus, flint, high acidity; serve at 9 °C.",
    "BAR-DOC-2019": "Barolo DOCG 2019, Nebbiolo: rose, tar, firm tannins; decant one hour.",
}


@app.post("/api/chat")
def chat():
    payload = request.get_json(force=True)
    session_id = payload["session_id"]
    question = (payload.get("message") or "").strip()
    if not question:
        return jsonify({"error": "empty message"}), 400

    system = SYSTEM
    if notes := TASTING_NOTES.get(payload.get("wine_sku", "")):
        system += f"\n\nTasting notes of the wine the customer is viewing:\n{notes}"

    try:
        reply = claude.messages.create(
            model="claude-3-5-haiku-latest",
            max_tokens=600,
            system=system,
            messages=[{"role": "user", "content": question}],
        )
    except anthropic.APIStatusError as err:
        app.logger.warning("claude failed for session %s: %s", session_id, err)
        return jsonify({"reply": "Sorry, our sommelier is busy. Please try again."}), 502

    answer = "".join(block.text for block in reply.content if block.type == "text")
    app.logger.info("session %s: %d output tokens", session_id, reply.usage.output_tokens)
    return jsonify({"session_id": session_id, "reply": answer})


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
