"""The AI agent handlers: agent list, agent chat and the OpenAI-compatible completions route.

Routes::

    GET  /api/v1/agents                  -> {"agents": [{name, domain, keywords, speed}, ...]}
    POST /api/v1/agents/{name}/chat      -> GENESIS JSON answer, or an OpenAI chunk stream
    POST /v1/chat/completions            -> OpenAI chat.completion, or an OpenAI chunk stream

Non-streaming answers arrive after ``Generation.generation_s``. Streams send headers at once,
the role chunk and first token after ``first_token_s``, then one chunk per token at the paced
due times (late tokens catch up instead of drifting), a finish chunk, the usage chunk when
``stream_options.include_usage`` is true, and ``data: [DONE]``. All waiting is asyncio.sleep.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Mapping

from aiohttp import web

from genesis_load.target import openai_format as oai
from genesis_load.target.agents import AGENTS, Agent, find_agent
from genesis_load.target.chat_request import ChatRequest, parse_agent_body, parse_openai_body
from genesis_load.target.conversations import Turn
from genesis_load.target.generation import Generation, generate
from genesis_load.target.params import read_json
from genesis_load.target.responses import dumps, json_error, json_response
from genesis_load.target.sse_wire import sse_frame
from genesis_load.target.state import STATE, TargetState

__all__ = ["add_chat_routes"]

log = logging.getLogger("genesis_load.target")
_MIN_SLEEP_S = 0.0005  # closer than this to a due time: write now rather than sleep


async def list_agents(request: web.Request) -> web.Response:
    return json_response({"agents": [agent.to_dict() for agent in AGENTS.values()]})


def _degrade(state: TargetState, path: str, gen: Generation) -> Generation:
    """The ``empty_rate`` / ``truncate_rate`` faults: no content, or the first half of the
    tokens with ``finish_reason: "length"``."""
    kind = state.faults.answer_fault(path)
    if kind is None:
        return gen
    tokens = gen.tokens[: 0 if kind == "empty" else len(gen.tokens) // 2]
    reason = "length" if kind == "truncate" else gen.finish_reason
    return dataclasses.replace(gen, tokens=tokens, text="".join(tokens), finish_reason=reason)


def _generate(
    state: TargetState,
    agent: Agent,
    chat: ChatRequest,
    *,
    turn: int,
    previous_prompt: str | None,
    history_tokens: int,
) -> Generation:
    return generate(
        agent,
        chat.prompt,
        seed=chat.seed,
        turn=turn,
        previous_prompt=previous_prompt,
        history_tokens=history_tokens,
        max_tokens=chat.max_tokens,
        ai_speed=state.config.ai_speed,
        tokens_per_s=state.config.tokens_per_s,
    )


async def agent_chat(request: web.Request) -> web.StreamResponse:
    agent = find_agent(request.match_info["name"])
    if agent is None:
        return json_error(
            404,
            f"unknown agent {request.match_info['name']!r}",
            problems={"name": f"must be one of {', '.join(AGENTS)}"},
        )
    body, error = await read_json(request)
    if error is not None:
        return error
    chat, problems = parse_agent_body(body)
    if chat is None:
        return json_error(400, "invalid chat request", problems=problems)
    state = request.app[STATE]
    conv, turn = state.conversations.begin_turn(agent.name, chat.conversation_id)
    history_tokens = conv.history_tokens
    gen = _generate(
        state,
        agent,
        chat,
        turn=turn,
        previous_prompt=conv.previous_prompt,
        history_tokens=history_tokens,
    )
    gen = _degrade(state, request.path, gen)
    headers = {"X-Conversation-Id": conv.id}
    if chat.stream:
        response = await _stream(request, state, agent, gen, chat.include_usage, headers)
    else:
        started = time.perf_counter()
        await asyncio.sleep(gen.generation_s)
        state.metrics.ai_tokens[agent.name].inc(len(gen.tokens))
        response = json_response(
            {
                "agent": agent.name,
                "conversation_id": conv.id,
                "turn": turn,
                "answer": gen.text,
                "complexity": gen.complexity,
                "keywords": list(gen.keywords),
                "finish_reason": gen.finish_reason,
                "usage": oai.usage(gen.prompt_tokens, len(gen.tokens)),
                "generation_ms": round((time.perf_counter() - started) * 1000, 3),
            },
            headers=headers,
        )
    tokens = gen.prompt_tokens - history_tokens + len(gen.tokens)
    state.conversations.record(conv, Turn(chat.prompt, gen.text, tokens))
    return response


def _openai_error(
    status: int, message: str, *, param: str | None = None, code: str | None = None
) -> web.Response:
    return json_response(oai.error_body(message, param=param, code=code), status=status)


async def chat_completions(request: web.Request) -> web.StreamResponse:
    body, error = await read_json(request)
    if error is not None:
        return _openai_error(400, "We could not parse the JSON body of your request.")
    if not isinstance(body, Mapping):
        return _openai_error(400, "The request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return _openai_error(400, "you must provide a model parameter", param="model")
    agent = find_agent(model)
    if agent is None:
        return _openai_error(
            404,
            f"The model `{model}` does not exist. Available: {', '.join(AGENTS)}.",
            param="model",
            code="model_not_found",
        )
    chat, problems = parse_openai_body(body)
    if chat is None:
        first = next(iter(problems))
        text = "; ".join(f"{k}: {v}" for k, v in problems.items())
        return _openai_error(400, f"Invalid request: {text}", param=first)
    state = request.app[STATE]
    gen = _generate(
        state,
        agent,
        chat,
        turn=chat.turn,
        previous_prompt=chat.previous_prompt,
        history_tokens=chat.history_tokens,
    )
    gen = _degrade(state, request.path, gen)
    if chat.stream:
        return await _stream(request, state, agent, gen, chat.include_usage, {})
    await asyncio.sleep(gen.generation_s)
    state.metrics.ai_tokens[agent.name].inc(len(gen.tokens))
    counts = oai.usage(gen.prompt_tokens, len(gen.tokens))
    return json_response(
        oai.completion(
            oai.completion_id(), int(time.time()), agent.name, gen.text, gen.finish_reason, counts
        )
    )


async def _stream(
    request: web.Request,
    state: TargetState,
    agent: Agent,
    gen: Generation,
    include_usage: bool,
    headers: dict[str, str],
) -> web.StreamResponse:
    """Write the OpenAI chunk stream for ``gen``; a client that leaves just ends it early."""
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", **headers}
    )
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    first_due = loop.time() + gen.first_token_s
    cid, created, model = oai.completion_id(), int(time.time()), agent.name
    path = request.path
    sent_tokens = 0

    async def send(payload: object) -> None:
        data = payload if isinstance(payload, str) else dumps(payload)
        await response.write(sse_frame(data, malformed=state.faults.malformed(path)))
        state.metrics.sse_events.inc()

    with state.streaming():
        try:
            await asyncio.sleep(gen.first_token_s)
            role = {"role": "assistant", "content": ""}
            await send(oai.chunk(cid, created, model, role, include_usage=include_usage))
            for i, token in enumerate(gen.tokens):
                delay_s = first_due + i * gen.token_interval_s - loop.time()
                if delay_s > _MIN_SLEEP_S:
                    await asyncio.sleep(delay_s)
                delta = {"content": token}
                await send(oai.chunk(cid, created, model, delta, include_usage=include_usage))
                sent_tokens += 1
            await send(
                oai.chunk(cid, created, model, {}, gen.finish_reason, include_usage=include_usage)
            )
            if include_usage:
                counts = oai.usage(gen.prompt_tokens, len(gen.tokens))
                await send(oai.usage_chunk(cid, created, model, counts))
            await send(oai.DONE)
            await response.write_eof()
        except ConnectionError:
            log.debug("client left a %s stream after %d tokens", agent.name, sent_tokens)
        except asyncio.CancelledError:
            if not state.closing:
                raise
            log.debug("%s stream ended by shutdown after %d tokens", agent.name, sent_tokens)
        except Exception:
            log.exception("error while streaming %s", agent.name)
        finally:
            state.metrics.ai_tokens[agent.name].inc(sent_tokens)
    return response


def add_chat_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/api/v1/agents", list_agents)
    router.add_post("/api/v1/agents/{name}/chat", agent_chat)
    router.add_post("/v1/chat/completions", chat_completions)
