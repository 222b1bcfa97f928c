import os
from autogen import ConversableAgent, initiate_chats

llm_config = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}], "cache_seed": 42}

intake = ConversableAgent("intake", llm_config=llm_config, human_input_mode="NEVER",
                          system_message="Ask for the customer's name and city. Reply TERMINATE when you have them.",
                          is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""))
topics = ConversableAgent("topics", llm_config=llm_config, human_input_mode="NEVER",
                          system_message="Ask what topics the customer likes.")
engager = ConversableAgent("engager", llm_config=llm_config, human_input_mode="NEVER",
                           system_message="Share a fun fact on the customer's topics.")
customer = ConversableAgent("customer", llm_config=False, human_input_mode="ALWAYS")

chats = [
    {"sender": intake, "recipient": customer, "message": "Hello! What's your name and city?",
     "summary_method": "reflection_with_llm", "max_turns": 2, "clear_history": True},
    {"sender": topics, "recipient": customer, "message": "What topics do you enjoy?",
     "summary_method": "reflection_with_llm", "max_turns": 1, "clear_history": False},
    {"sender": customer, "recipient": engager, "message": "Tell me something fun.",
     "max_turns": 1, "summary_method": "reflection_with_llm"},
]

results = initiate_chats(chats)
