import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import AzureOpenAIChatCompletionClient
from azure.identity import DefaultAzureCredential, get_bearer_token_provider

token_provider = get_bearer_token_provider(DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default")

az_model_client = AzureOpenAIChatCompletionClient(
    azure_deployment="gpt-4o-mini",
    model="gpt-4o-mini",
    api_version="2024-06-01",
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
    azure_ad_token_provider=token_provider,
)

query_agent = AssistantAgent("query_agent", model_client=az_model_client, system_message="Write the SQL query.")
revise_agent = AssistantAgent("revise_agent", model_client=az_model_client, system_message="Fix the SQL query if it failed.")
test_agent = AssistantAgent("test_agent", model_client=az_model_client, system_message="Run the query and say TERMINATE when it works.")


def text_2_sql_selector(messages):
    last = messages[-1]
    if last.source == "user":
        return "query_agent"
    if last.source == "query_agent":
        return "test_agent"
    if last.source == "test_agent" and "error" in str(last.content).lower():
        return "revise_agent"
    return "query_agent"


termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(10)
generator = SelectorGroupChat(
    [query_agent, revise_agent, test_agent],
    allow_repeated_speaker=False,
    model_client=az_model_client,
    termination_condition=termination,
    selector_func=text_2_sql_selector,
)
