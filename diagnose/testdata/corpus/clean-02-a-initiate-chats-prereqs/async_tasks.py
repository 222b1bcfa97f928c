import asyncio

import autogen

config_list = autogen.config_list_from_json(env_or_file="OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 41}

financial_assistant = autogen.AssistantAgent(name="Financial_assistant", llm_config=llm_config)
research_assistant = autogen.AssistantAgent(name="Researcher", llm_config=llm_config)
writer = autogen.AssistantAgent(
    name="writer",
    llm_config=llm_config,
    system_message="You are a professional writer. Reply TERMINATE in the end when everything is done.",
)
user = autogen.UserProxyAgent(
    name="User",
    human_input_mode="NEVER",
    is_termination_msg=lambda x: x.get("content", "") and x.get("content", "").rstrip().endswith("TERMINATE"),
    code_execution_config={"last_n_messages": 1, "work_dir": "tasks", "use_docker": False},
)


async def main():
    return await user.a_initiate_chats(
        [
            {"chat_id": 1, "recipient": financial_assistant, "message": "What are the current stock prices of NVDA and TSLA?", "max_turns": 3, "summary_method": "reflection_with_llm"},
            {"chat_id": 2, "prerequisites": [1], "recipient": research_assistant, "message": "Investigate possible reasons.", "max_turns": 3, "summary_method": "reflection_with_llm"},
            {"chat_id": 3, "prerequisites": [1, 2], "recipient": writer, "message": "Write a short blog post.", "max_turns": 2},
        ]
    )


asyncio.run(main())
