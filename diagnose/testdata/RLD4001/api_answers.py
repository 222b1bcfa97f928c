import os

import requests
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient


def get_weather(city: str) -> dict:
    """Current weather: a small JSON answer."""
    r = requests.get("https://api.openweathermap.org/data/2.5/weather", params={"q": city, "appid": os.environ["OWM_KEY"]}, timeout=10)
    return r.json()  # want RLD4001 "tool get_weather returns the whole JSON body of an HTTP response \(r.json\(\)\)"


def search(q: str) -> str:
    """Five search results as JSON text."""
    resp = requests.get("https://search.example.com/q", params={"q": q, "count": 5})
    return resp.text  # want RLD4001 "tool search returns the whole JSON body of an HTTP response \(resp.text\)"


def fetch(url: str) -> str:
    """Any page the model names: as big as the page."""
    resp = requests.get(url, timeout=10)
    return resp.text  # want RLD4001 "tool fetch returns the whole HTTP response body \(resp.text\)"


agent = AssistantAgent("a", model_client=OpenAIChatCompletionClient(model="gpt-4o"), tools=[get_weather, search, fetch])
