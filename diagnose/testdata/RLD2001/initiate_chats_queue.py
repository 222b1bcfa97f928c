import asyncio

import autogen

config_list = autogen.config_list_from_json(env_or_file="OAI_CONFIG_LIST")
llm_config = {"config_list": config_list}
analyst = autogen.AssistantAgent("analyst", llm_config=llm_config)
writer = autogen.AssistantAgent("writer", llm_config=llm_config)
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=2)


async def staged():
    # Chained by prerequisites: one chat at a time.
    return await user.a_initiate_chats(
        [
            {"chat_id": 1, "recipient": analyst, "message": "Prices of NVDA?", "max_turns": 2},
            {"chat_id": 2, "prerequisites": [1], "recipient": analyst, "message": "Why?", "max_turns": 2},
            {"chat_id": 3, "prerequisites": [2], "recipient": writer, "message": "Blog post.", "max_turns": 2},
        ]
    )


async def fan_out():
    return await user.a_initiate_chats(  # want RLD2001 "a_initiate_chats on line 24 runs 5 chats at once"
        [
            {"chat_id": 1, "recipient": analyst, "message": "NVDA?", "max_turns": 2},
            {"chat_id": 2, "recipient": analyst, "message": "TSLA?", "max_turns": 2},
            {"chat_id": 3, "recipient": analyst, "message": "AAPL?", "max_turns": 2},
            {"chat_id": 4, "recipient": analyst, "message": "MSFT?", "max_turns": 2},
            {"chat_id": 5, "recipient": writer, "message": "Market summary.", "max_turns": 2},
        ]
    )


asyncio.run(fan_out())
