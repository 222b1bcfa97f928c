import asyncio
import autogen

cfg = autogen.config_list_from_json("OAI_CONFIG_LIST.json")
llm = {"config_list": cfg, "cache_seed": 42}

lead = autogen.UserProxyAgent("lead", human_input_mode="NEVER", code_execution_config=False,
                              max_consecutive_auto_reply=1)
market = autogen.AssistantAgent("market", llm_config=llm)
legal = autogen.AssistantAgent("legal", llm_config=llm)
finance = autogen.AssistantAgent("finance", llm_config=llm)
tech = autogen.AssistantAgent("tech", llm_config=llm)

chats = [
    {"chat_id": 1, "recipient": market, "message": "Size the market.", "max_turns": 1},
    {"chat_id": 2, "recipient": legal, "message": "List legal risks.", "max_turns": 1},
    {"chat_id": 3, "recipient": finance, "message": "Estimate costs.", "max_turns": 1},
    {"chat_id": 4, "recipient": tech, "message": "Assess feasibility.", "max_turns": 1},
    {"chat_id": 5, "recipient": market, "message": "Write the summary.", "prerequisites": [1, 2, 3, 4], "max_turns": 1},
]

results = asyncio.run(lead.a_initiate_chats(chats))
