"""A well-configured AutoGen 0.2 project: bounded chats, cache on, key from env."""
import os

import autogen

config_list = autogen.config_list_from_json(
    "OAI_CONFIG_LIST",
    filter_dict={"model": ["gpt-4o-mini"]},
)
llm_config = {"config_list": config_list, "cache_seed": 42, "timeout": 120}

assistant = autogen.AssistantAgent(
    name="assistant",
    llm_config=llm_config,
    system_message="Solve the task. Reply TERMINATE when done.",
)
user_proxy = autogen.UserProxyAgent(
    name="user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=8,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    code_execution_config={"work_dir": "coding", "use_docker": os.getenv("USE_DOCKER", "0") == "1"},
)


@user_proxy.register_for_execution()
@assistant.register_for_llm(description="Read the first part of a text file.")
def read_head(path: str, limit: int = 4000) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read(limit)


planner = autogen.AssistantAgent("planner", llm_config=llm_config)
critic = autogen.AssistantAgent("critic", llm_config=llm_config)
groupchat = autogen.GroupChat(agents=[user_proxy, planner, critic], messages=[], max_round=12,
                              speaker_selection_method="round_robin")
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)

if __name__ == "__main__":
    user_proxy.initiate_chat(assistant, message="Summarise README.md in three bullet points.")
    user_proxy.initiate_chat(manager, message="Plan the next release.")
