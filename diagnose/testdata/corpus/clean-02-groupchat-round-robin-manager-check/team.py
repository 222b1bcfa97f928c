import os

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent

claude = {
    "config_list": [
        {"model": "claude-3-5-sonnet-20240620", "api_key": os.environ["ANTHROPIC_API_KEY"], "api_type": "anthropic"}
    ],
    "cache_seed": 42,
}

pm = AssistantAgent("pm", llm_config=claude, system_message="Product manager. Write specs.")
dev = AssistantAgent("dev", llm_config=claude, system_message="Developer. Write code.")
qa = AssistantAgent("qa", llm_config=claude, system_message="QA. Reply TERMINATE when tests pass.")
admin = UserProxyAgent("admin", human_input_mode="NEVER", code_execution_config=False)

gc = GroupChat(agents=[admin, pm, dev, qa], messages=[], max_round=12, speaker_selection_method="round_robin")
manager = GroupChatManager(
    groupchat=gc,
    llm_config=claude,
    is_termination_msg=lambda m: "TERMINATE" in str(m.get("content", "")),
)
admin.initiate_chat(manager, message="Build a CLI that counts words in a file.")
